#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test of the project, ending with "N passed, N failed".
#
# Each step logs to build/check/STEP.log.  Steps that run a suite of their
# own (KUnit, the tool's tests, the end-to-end rig) count each of its
# tests; the others count as one test each.  CHECK_SKIP="e2e ..." leaves
# steps out (the run says so).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/check
mkdir -p "$logs"
passed=0
failed=0
failures=()

# A skipped step is a failure under CI: CI must run everything.
skip() {
	case " ${CHECK_SKIP:-} " in
	*" $1 "*)
		if [ "${CI:-}" = true ]; then
			echo "== $1: skipped (CHECK_SKIP) under CI: counted as a failure"
			count "$1" 0 1
		else
			echo "== $1: skipped (CHECK_SKIP)"
		fi
		return 0 ;;
	esac
	return 1
}

# expect NAME PASSED: a suite must run as many tests as the tree has, so
# that a case or scenario that silently went missing fails the run.
# tools/testing/xen-netback/expected-counts holds "NAME COUNT" lines.
expect() {
	local want
	want=$(awk -v n="$1" '$1 == n { print $2 }' "$top/tools/testing/xen-netback/expected-counts")
	if [ "$want" = list ]; then
		return 0
	elif [ -z "$want" ]; then
		# Not named (or no file): not a suite to trust.
		echo "== $1: tools/testing/xen-netback/expected-counts names no count for it"
		count "$1-count" 0 1
	elif [ "$2" -ne "$want" ]; then
		echo "== $1: ran $2 tests, the tree expects $want"
		count "$1-count" 0 1
	fi
}

# count NAME PASSED FAILED
count() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	[ "$3" -eq 0 ] || failures+=("$1")
	echo "== $1: $2 passed, $3 failed"
}

# step NAME CMD...: one test, passes if CMD exits 0.
step() {
	local name=$1 start=$SECONDS
	shift
	skip "$name" && return 0
	echo "== $name: $*"
	if "$@" >"$logs/$name.log" 2>&1; then
		count "$name" 1 0
	else
		tail -n 40 "$logs/$name.log"
		count "$name" 0 1
	fi
	echo "   ($((SECONDS - start)) s)"
}

# suite NAME PARSER CMD...: many tests; PARSER reads the log.
suite() {
	local name=$1 parser=$2 start=$SECONDS p f rc
	shift 2
	skip "$name" && return 0
	echo "== $name: $*"
	"$@" >"$logs/$name.log" 2>&1
	rc=$?
	read -r p f < <("$parser" "$logs/$name.log")
	p=${p:-0}
	f=${f:-0}
	# A suite that failed without a failing test still fails once.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ] || [ "$p" -eq 0 ]; then
		tail -n 60 "$logs/$name.log"
	fi
	[ "$p" -gt 0 ] || [ "$f" -gt 0 ] || f=1
	count "$name" "$p" "$f"
	expect "$name" $((p + f))
	echo "   ($((SECONDS - start)) s)"
}

parse_kunit() {
	# "Testing complete. Ran 84 tests: passed: 84" [, failed: N]
	sed -n 's/.*Ran [0-9]* tests: passed: \([0-9]*\)\(, failed: \([0-9]*\)\)\{0,1\}.*/\1 \3/p' "$1" |
		tail -n1 | awk '{print $1, ($2 == "" ? 0 : $2)}'
}

parse_plain() {
	# the last "N passed, N failed" line
	grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n1 |
		sed -E 's/^([A-Za-z]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

parse_e2e() {
	local r=$top/build/${E2E_RESULTS:-e2e}/results.txt
	[ -f "$r" ] || { echo "0 0"; return; }
	echo "$(grep -c '^PASS' "$r") $(grep -c '^FAIL' "$r")"
}

cd "$top" || exit 1
step prepare scripts/prepare-tree.sh || true
# The KUnit suite runs once, under KASAN and UBSAN (kunit-san): the plain
# UML run (make kunit) tests the same 97 cases with less checking.
suite kunit-san parse_kunit env KUNIT_SAN=1 scripts/kunit.sh
suite kunit-san-plant parse_plain env KUNIT_SAN=plant scripts/kunit.sh
step module scripts/build-module.sh
suite tool parse_plain make -s --no-print-directory -C tools/xen-vif-rate \
	O="$top/build" check
suite xen-toolstack parse_plain sh -c \
	'scripts/xen-toolstack.sh && scripts/xen-toolstack-check.sh'
# xen-vif-rate linked with the series' libxenlight, for the e2e's scenario
# 16 (build/xen-vif-rate stays the plain build).
step tool-libxl make -s --no-print-directory -C tools/xen-vif-rate \
	O="$top/build/xen-vif-rate-libxl" WITH_LIBXL=1
mkdir -p build/harness
suite harness parse_plain make -s --no-print-directory -C tools/testing/xen-netback/harness \
	O="$top/build/harness" check
suite series parse_plain scripts/series-check.sh
suite docs parse_plain scripts/docs-check.sh
suite dkms parse_plain scripts/dkms-check.sh
# Always run: a missing or non-executable run.sh fails the suites (and
# expected-counts their counts) instead of leaving them out.
rm -f build/e2e/results.txt
suite e2e parse_e2e env PATCHED_KO="$top/build/xen-netback.ko" \
	VIF_RATE="$top/build/xen-vif-rate" \
	XL_TOOLSTACK="$top/build/xen-toolstack" \
	VIF_RATE_LIBXL="$top/build/xen-vif-rate-libxl/xen-vif-rate" \
	tools/testing/xen-netback/e2e/run.sh
# The same rig on a dom0 kernel built from the series with lockdep,
# PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, KFENCE, SLUB debugging
# and UBSAN (scripts/debug-kernel.sh: 341 s the first time in a fresh
# clone on an idle 2-core machine, 10-13 min beside other work; cached
# by the tree's hash), then planted reports the scan must catch.
rm -f build/e2e-debug/results.txt
E2E_RESULTS=e2e-debug suite e2e-debug parse_e2e sh -c \
	'scripts/debug-kernel.sh && tools/testing/xen-netback/e2e/run-debug.sh'

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed steps: ${failures[*]} (logs in build/check/)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
