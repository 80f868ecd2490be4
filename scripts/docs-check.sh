#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check the documentation of the transmit credit.
#
#   scripts/docs-check.sh [TREE]
#
# 1. scripts/kernel-doc -none -Wall of the prepared tree on credit.h: no
#    output at all.
# 2. Every function named by the ":functions:" line of the document's
#    kernel-doc directive is found by kernel-doc -rst, without warnings.
# 3. Documentation/networking/xen-netback-rate.rst through plain docutils
#    (Debian's python3-docutils) with warnings as errors.  Plain docutils
#    does not know Sphinx's directives: the checker turns the kernel-doc
#    directive (and a toctree, if any) into a comment first, so their
#    content is checked by step 2 only, not rendered.
# 4. The SPDX line and the title with === over and under.
# 5. The prepared tree lists the document in the toctree, and the series
#    documents the keys in netif.h with comment lines only.
# Any warning fails its check.  Ends with "docs: N passed, N failed" and
# exits non-zero if anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$top/build/linux-6.12}
doc=$top/Documentation/networking/xen-netback-rate.rst
hdr=drivers/net/xen-netback/credit.h
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS: $*"; }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! python3 -c 'import docutils' 2>/dev/null || ! command -v sphinx-build >/dev/null; then
	"$top/scripts/deps.sh" host python3-docutils python3-sphinx ||
		echo "docs-check: cannot install python3-docutils and python3-sphinx" >&2
fi

# 1. kernel-doc -Wall: no output.
if [ -x "$tree/scripts/kernel-doc" ] && [ -f "$tree/$hdr" ]; then
	out=$(cd "$tree" && scripts/kernel-doc -none -Wall "$hdr" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		ok "kernel-doc -none -Wall $hdr"
	else
		ko "kernel-doc -none -Wall $hdr (rc $rc)"
		printf '%s\n' "$out"
	fi
else
	ko "no $tree/scripts/kernel-doc or $tree/$hdr (run scripts/prepare-tree.sh)"
fi

# The document must name the file the tree has: the same credit.h.
if [ -f "$tree/$hdr" ] && ! cmp -s "$top/$hdr" "$tree/$hdr"; then
	ko "$hdr of the tree differs from the repository's"
fi

# 2. The functions the directive names.
funcs=$(awk '/^\.\. kernel-doc:: drivers\/net\/xen-netback\/credit\.h/ {k = 1; next}
	k && /^   :functions:/ {sub(/^   :functions:/, ""); print; exit}
	k && !/^   / {k = 0}' "$doc" 2>/dev/null)
if [ -z "$funcs" ]; then
	ko "no kernel-doc directive with :functions: for $hdr in $doc"
elif [ -x "$tree/scripts/kernel-doc" ]; then
	args=()
	for f in $funcs; do
		args+=(-function "$f")
	done
	# -sphinx-version: without Sphinx installed, kernel-doc warns that it
	# cannot find one; say which syntax to produce.
	(cd "$tree" && scripts/kernel-doc -rst -sphinx-version 5.3.0 -Wall \
		"${args[@]}" "$hdr") >"$tmp/kdoc.rst" 2>"$tmp/kdoc.err"
	rc=$?
	n=$(grep -c '^\.\. c:function::' "$tmp/kdoc.rst")
	want=$(echo "$funcs" | wc -w)
	if [ $rc -eq 0 ] && [ ! -s "$tmp/kdoc.err" ] && [ "$n" -eq "$want" ]; then
		ok "kernel-doc -rst finds the $want functions of :functions:"
	else
		ko "kernel-doc -rst :functions: (rc $rc, $n of $want found)"
		cat "$tmp/kdoc.err"
	fi
fi

# 3. docutils, warnings are errors.
if [ -f "$doc" ]; then
	# Sphinx-only directives become comments: indented options and
	# content follow them and stay part of the comment.
	sed -e 's/^\.\. \(kernel-doc\|toctree\)::/.. (sphinx-only \1)/' \
		"$doc" >"$tmp/doc.rst"
	python3 -m docutils --halt=warning --report=info --exit-status=warning \
		--no-file-insertion --no-raw \
		"$tmp/doc.rst" "$tmp/doc.html" >"$tmp/du.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q '(WARNING\|(ERROR\|(SEVERE' "$tmp/du.out"; then
		ok "docutils $(python3 -c 'import docutils; print(docutils.__version__)') --halt=warning on ${doc#"$top"/} (kernel-doc directive as a comment)"
	else
		ko "docutils on ${doc#"$top"/} (rc $rc)"
	fi
	# Info messages (level 1) are no warnings, but show them.
	sed "s#$tmp/doc.rst#${doc#"$top"/}#" "$tmp/du.out"
else
	ko "no $doc"
fi

# 4. Kernel style of the head of the document.
if [ -f "$doc" ]; then
	l1=$(sed -n 1p "$doc")
	over=$(sed -n 3p "$doc")
	title=$(sed -n 4p "$doc")
	under=$(sed -n 5p "$doc")
	if [ "$l1" = ".. SPDX-License-Identifier: GPL-2.0" ] &&
	   [[ $over =~ ^=+$ ]] && [ "$over" = "$under" ] &&
	   [ ${#over} -ge ${#title} ]; then
		ok "SPDX line and title"
	else
		ko "SPDX line or title with === over and under"
	fi
fi

# 5. The series put the document in the toctree, and documented the keys
#    in netif.h as comments only.
if grep -qx '   xen-netback-rate' "$tree/Documentation/networking/index.rst"; then
	ok "index.rst lists xen-netback-rate"
else
	ko "index.rst does not list xen-netback-rate"
fi
diff=$(git -C "$tree" diff base..HEAD -- include/xen/interface/io/netif.h)
drc=$?
bad=$(printf '%s\n' "$diff" | sed -n '/^+++/d; /^+/p' |
	grep -v -E '^\+(| \*( .*)?|/\*| \*/)$' || true)
if [ "$drc" = 0 ] && printf '%s\n' "$diff" | grep -q '^+.*rate-packets' &&
   grep -q 'rate-packets' "$tree/include/xen/interface/io/netif.h" && [ -z "$bad" ]; then
	ok "netif.h documents rate-packets, in comments only"
else
	ko "netif.h: rate-packets undocumented, or code added, or no diff (git: $drc): $bad"
fi

# 6. If Sphinx is installed (Debian's python3-sphinx), a real Sphinx build
#    of the document alone with the tree's kerneldoc extension: the
#    kernel-doc directive is run, and Sphinx warnings are errors (-W).
if command -v sphinx-build >/dev/null 2>&1 && [ -f "$doc" ] &&
   [ -f "$tree/Documentation/sphinx/kerneldoc.py" ]; then
	mkdir -p "$tmp/sphinx"
	cp "$doc" "$tmp/sphinx/index.rst"
	cat >"$tmp/sphinx/conf.py" <<CONF
import sys
sys.path.insert(0, '$tree/Documentation/sphinx')
extensions = ['kerneldoc']
kerneldoc_bin = '$tree/scripts/kernel-doc'
kerneldoc_srctree = '$tree'
master_doc = 'index'
project = 'xen-netback-rate'
CONF
	if sphinx-build -q -W --keep-going -b html "$tmp/sphinx" \
		"$tmp/sphinx/out" >"$tmp/sphinx.out" 2>&1; then
		ok "sphinx-build $(sphinx-build --version | awk '{print $2}') -W with kerneldoc on ${doc#"$top"/}"
	else
		ko "sphinx-build -W on ${doc#"$top"/}"
	fi
	sed "s#$tmp/sphinx/index.rst#${doc#"$top"/}#" "$tmp/sphinx.out"
	# The functions of the directive are in the page.
	for f in $funcs; do
		grep -q "$f" "$tmp/sphinx/out/index.html" 2>/dev/null ||
			ko "sphinx output lacks $f"
	done
else
	echo "SKIP: sphinx-build not installed (python3-sphinx): kernel-doc directive checked by step 2 only"
fi

echo "docs: $pass passed, $fail failed"
[ $fail -eq 0 ]
