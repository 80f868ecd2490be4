#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare a patched kernel tree: Debian's linux-source, our new files and
# our series on top, one git commit per patch (for format-patch and for
# building every prefix of the series).
#
#   scripts/prepare-tree.sh [SERIES_DIR [BASE]]
#
# SERIES_DIR defaults to patches/ and BASE to 6.12 (linux-source-BASE).
# The tree lands in build/linux-BASE; it is reused while the series, the
# new files and the base package are unchanged.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
series_dir=$(cd "${1:-$top/patches}" && pwd)
base=${2:-6.12}
tree=$top/build/linux-$base
deps=$top/build/deps

"$top/scripts/deps.sh" unpack "linux-source-$base"
tarball=$deps/root/usr/src/linux-source-$base.tar.xz

new_files() {
	sed -n 's/^[^#]*# new: //p' "$series_dir/series"
}

patches() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$series_dir/series" | awk '{print $1}'
}

# Everything the result depends on.
stamp=$( {
	ls -l --time-style=+ "$tarball" | awk '{print $5}'
	cat "$series_dir/series"
	for p in $(patches); do cat "$series_dir/$p"; done
	for f in $(new_files); do cat "$top/$f"; done
} | sha256sum | cut -d' ' -f1)

if [ -f "$tree/.xnb-stamp" ] && [ "$(cat "$tree/.xnb-stamp")" = "$stamp" ]; then
	echo "prepare: $tree is up to date"
	exit 0
fi

rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
echo "prepare: extracting linux-source-$base"
tar -xf "$tarball" -C "$tree.tmp"
mv "$tree.tmp"/linux-source-"$base" "$tree"
rmdir "$tree.tmp"

cd "$tree"
# Debian's packaging .gitignore ignores the whole top level; drop it.
sed -i '/^# Debian packaging/,$d' .gitignore
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
export GIT_COMMITTER_NAME=prepare GIT_COMMITTER_EMAIL=prepare@localhost
git init -q
# No background "gc --auto" after the commits below: it would compete
# with the end-to-end boot for the CPUs.
git config gc.auto 0
git add -A
git -c user.name=base -c user.email=base@localhost commit -q -m "linux-source-$base (Debian)"
git tag base

while read -r line; do
	line=${line%%#*}
	p=$(echo "$line" | awk '{print $1}')
	[ -n "$p" ] || continue
	full=$(grep -F "$p" "$series_dir/series" | grep -F "# new:" | sed 's/.*# new: //' || true)
	for f in $full; do
		mkdir -p "$(dirname "$f")"
		cp "$top/$f" "$f"
		git add -f "$f"
	done
	if grep -q '^diff --git' "$series_dir/$p"; then
		git apply --index "$series_dir/$p" ||
			{ echo "prepare: $p does not apply" >&2; exit 1; }
	fi
	author=$(sed -n 's/^From: //p;/^$/q' "$series_dir/$p" | head -n1)
	# Subject, blank line, body up to the "---" that starts the diffstat.
	awk '/^Subject: /{sub(/^Subject: (\[PATCH[^]]*\] )?/, ""); print; s=1; next}
	     s==1 && /^$/ {print; s=2; next}
	     s==2 && /^---$/ {exit}
	     s==2 {print}' "$series_dir/$p" >"$tree/.git/msg"
	git commit -q --author="$author" -F "$tree/.git/msg"
done < <(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$series_dir/series")

echo "$stamp" >"$tree/.xnb-stamp"
echo "prepare: $(git rev-list --count base..HEAD) patches applied in $tree"
