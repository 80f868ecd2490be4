#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Developer helper: turn the commits of a kernel work tree (base..HEAD) into
# this repository's form: the files a commit adds go to their kernel paths
# here, the changes to upstream files to patches/NNNN-*.patch, listed in
# patches/series.  A file added by one commit must not change in a later
# one: the overlay holds one version of it.
#
#   scripts/export-series.sh TREE [BASE [OUT]]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
base=${2:-$(git -C "$tree" rev-list --max-parents=0 HEAD)}
out=${3:-$top/patches}
mkdir -p "$out"

rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
{
	echo "# Quilt series against Debian's linux-source-6.12 (-p1)."
	echo "# \"new:\" names the files of this repository a patch adds;"
	echo "# scripts/prepare-tree.sh copies them in before applying it."
} >"$out/series"

declare -A added_by
n=0
for c in $(git -C "$tree" rev-list --reverse "$base..HEAD"); do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	slug=$(echo "$subject" | sed 's/^xen-netback: //; s/[^A-Za-z0-9]\+/-/g; s/^-//; s/-$//' | cut -c1-64)
	name=$(printf '%04d-%s.patch' "$n" "$slug")
	new=$(git -C "$tree" diff --name-only --diff-filter=A "$c^" "$c")
	for f in $(git -C "$tree" diff --name-only "$c^" "$c"); do
		if [ -n "${added_by[$f]:-}" ]; then
			echo "export: $f added by ${added_by[$f]} changes again in $name" >&2
			exit 1
		fi
	done
	excl=()
	for f in $new; do
		added_by[$f]=$name
		excl+=(":(exclude)$f")
		mkdir -p "$top/$(dirname "$f")"
		git -C "$tree" show "$c:$f" >"$top/$f"
	done
	{
		git -C "$tree" log -1 --format='From: %an <%ae>%nSubject: %s%n%n%b' "$c" |
			sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		echo "---"
		git -C "$tree" diff --stat=72 "$c^" "$c" -- . "${excl[@]}"
		echo
		git -C "$tree" diff --no-prefix --src-prefix=a/ --dst-prefix=b/ "$c^" "$c" -- . "${excl[@]}"
	} >"$out/$name"
	echo "$name${new:+  # new: $(echo $new)}" >>"$out/series"
done
echo "export: $n patches"
