#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write the series as git-format patches with a cover letter into
# build/series/ (from the prepared tree's commits base..HEAD).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$top/build/linux-6.12}
out=${2:-$top/build/series}

rm -rf "$out"
git -C "$tree" format-patch -q --cover-letter --subject-prefix="PATCH net-next" \
	-o "$out" base..HEAD
cover=$(ls "$out"/0000-cover-letter.patch)
if [ -f "$top/patches/cover-letter.txt" ]; then
	subject=$(head -n1 "$top/patches/cover-letter.txt")
	body=$(tail -n +3 "$top/patches/cover-letter.txt")
	python3 - "$cover" "$subject" "$body" <<'PY'
import sys
p, subject, body = sys.argv[1:4]
s = open(p).read()
s = s.replace("*** SUBJECT HERE ***", subject, 1)
s = s.replace("*** BLURB HERE ***", body, 1)
open(p, "w").write(s)
PY
fi
echo "format-series: $(ls "$out" | wc -l) files in $out"
