#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every benchmark of the transmit credit: run-fastpath.sh (callgrind, no
# Xen needed) and, if present, run-xen.sh (the Xen-based benchmarks).
# Each writes a markdown table under build/bench/; this script writes
# build/bench/README.md with the date, the machine and every table.
# Figures, never pass/fail: a benchmark that fails is reported as such.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
out=$top/build/bench
mkdir -p "$out"

status=()
run_one() {	# script table
	local s=$here/$1
	if [ ! -x "$s" ] && [ ! -f "$s" ]; then
		status+=("$1: not present, skipped")
		return
	fi
	echo "== $1" >&2
	if bash "$s"; then
		status+=("$1: ran")
	else
		status+=("$1: FAILED (exit $?)")
	fi
}

run_one run-fastpath.sh
run_one run-xen.sh

cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n1)
readme=$out/README.md
{
	echo "# xen-netback transmit credit: benchmarks"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "- machine: $(uname -m), $(nproc) CPUs, ${cpu:-unknown CPU}"
	echo "- kernel: $(uname -r)"
	echo "- tree: $(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
	echo
	for s in "${status[@]}"; do
		echo "- $s"
	done
	# every table the benchmarks wrote, fast path first
	for t in "$out/fastpath.md" "$out"/*.md; do
		[ -f "$t" ] || continue
		case $t in
		"$readme") continue;;
		esac
		case " ${done_tables:-} " in
		*" $t "*) continue;;
		esac
		done_tables="${done_tables:-} $t"
		echo
		cat "$t"
	done
} >"$readme"
echo "wrote $readme" >&2
cat "$readme"
