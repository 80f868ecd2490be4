#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per admitted packet of the transmit credit check: today's
# byte-only check (stock) against the patched one on one queue and on two,
# counted by callgrind (load-independent) with --toggle-collect on the
# noipa functions that hold each check and its per-batch work (replay.c).
# Every measurement runs REPS times (callgrind is deterministic: the runs
# must agree).
#
# Writes build/bench/fastpath.md and prints it.
#   DECISIONS=N  admission decisions per run (default 10000000)
#   REPS=N       runs per measurement (default 3)
#   JOBS=N       callgrind runs at once (default: nproc)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
out=$top/build/bench
n=${DECISIONS:-10000000}
reps=${REPS:-3}
jobs=${JOBS:-$(nproc)}
work=$out/fastpath
mkdir -p "$work"
rm -f "$work"/*.cg "$work"/*.log

command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 1; }
make -s -C "$here" O="$out" >/dev/null

# binary check scenario: the stock and null checks run from replay-one
runs=()
for sc in flood kick unthrottled nolimit; do
	runs+=("one stock $sc" "one one $sc" "two-spin two-spin $sc"
	       "two-nolock two-nolock $sc")
done
runs+=("one null flood")

one_run() {	# bin check scenario rep
	local f=$work/$2.$3.$4
	valgrind --tool=callgrind --toggle-collect="check_${2//-/_}*" \
		--callgrind-out-file="$f.cg" \
		"$out/replay-$1" "$2" "$3" "$n" >"$f.log" 2>"$f.err"
}

pids=()
for r in "${runs[@]}"; do
	for rep in $(seq 1 "$reps"); do
		# shellcheck disable=SC2086
		one_run $r "$rep" &
		pids+=($!)
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n || true
		done
	done
done
for p in "${pids[@]}"; do
	wait "$p" || { echo "a callgrind run failed; see $work/*.err" >&2; exit 1; }
done

field() {	# log key
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$1"
}
ir() {		# callgrind output: the collected Ir
	sed -n 's/^summary: *\([0-9]*\).*/\1/p;s/^totals: *\([0-9]*\).*/\1/p' \
		"$1" | head -n1
}

declare -A per_adm per_net
md=$out/fastpath.md
# what the call itself costs inside the counted function (mov + ret)
null_pd=$(echo "scale=4; $(ir "$work/null.flood.1.cg") / \
	$(field "$work/null.flood.1.log" decisions)" | bc)
{
	echo "## Fast path of the transmit credit check (callgrind)"
	echo
	echo "Instructions (Ir) executed inside the check function and, for the"
	echo "patched checks, the per-batch open and close of their allowance,"
	echo "counted by \`valgrind --tool=callgrind --toggle-collect='check_<name>*'\`, for"
	echo "$n admission decisions of 60-byte frames per run; $reps runs each."
	echo "Ratios are per admitted packet against the stock check of the same"
	echo "scenario.  Built with: \`$(cat "$out/replay.cflags")\`"
	echo "($(${CC:-cc} --version | head -n1); $(valgrind --version))."
	echo
	echo "The last column takes the cost of an empty check ($null_pd Ir per"
	echo "call, counted the same way) off both sides."
	echo
	echo "| scenario | check | admitted | refused | Ir per run ($reps runs) | Ir/decision | Ir/admitted | vs stock | vs stock, net of call |"
	echo "|---|---|---:|---:|---|---:|---:|---:|---:|"
	for r in "${runs[@]}"; do
		set -- $r
		chk=$2 sc=$3
		irs=() 
		for rep in $(seq 1 "$reps"); do
			irs+=("$(ir "$work/$chk.$sc.$rep.cg")")
		done
		log=$work/$chk.$sc.1.log
		dec=$(field "$log" decisions)
		adm=$(field "$log" admitted)
		ref=$(field "$log" refused)
		same=$(printf '%s\n' "${irs[@]}" | sort -u | wc -l)
		list=$(IFS=/; echo "${irs[*]}")
		[ "$same" = 1 ] || list="$list (differ!)"
		pd=$(echo "scale=2; ${irs[0]} / $dec" | bc)
		pa=$(echo "scale=2; ${irs[0]} / $adm" | bc)
		net=$(echo "scale=4; (${irs[0]} - $null_pd * $dec) / $adm" | bc)
		per_adm[$chk.$sc]=$pa
		per_net[$chk.$sc]=$net
		ratio=- nratio=-
		if [ "$chk" != stock ] && [ "$chk" != null ] &&
		   [ -n "${per_adm[stock.$sc]:-}" ]; then
			# bc prints .82 for 0.82
			ratio=$(printf '%.2fx' "$(echo "scale=4; $pa / ${per_adm[stock.$sc]}" | bc)")
			nratio=$(printf '%.2fx' "$(echo "scale=4; $net / ${per_net[stock.$sc]}" | bc)")
		fi
		case $chk in
		stock) name="(a) stock bytes";;
		one) name="(b) one queue";;
		two-spin) name="(c) two queues, pthread spinlock";;
		two-nolock) name="(c) two queues, no-op lock";;
		null) name="empty check (call + ret)";;
		esac
		echo "| $sc | $name | $adm | $ref | $list | $pd | $pa | $ratio | $nratio |"
	done
	echo
	echo "Goal of the project: (b) and (c) at most 1.3x (a)."
} >"$md"
cat "$md"
