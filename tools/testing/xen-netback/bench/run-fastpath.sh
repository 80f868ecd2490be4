#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per admitted packet of the transmit credit, like for like:
# stock 6.12's byte credit against ours (patched netback.c and credit.c),
# on one queue and on two, counted by callgrind (load-independent) with
# --toggle-collect on the noipa functions of replay.c that hold all that
# each side runs for its credit: the NAPI batch (xenvif_tx_build_gops()
# with its ring and skb work left out), the credit timer's callback and,
# for ours, the GSO refund.  The loop and calls both sides share (a batch
# with no credit at all, run in the same pattern: replay --shadow) are
# taken off to give the credit's own cost.  Every measurement runs REPS
# times (callgrind is deterministic: the runs must agree).
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
rm -f "$work"/*.cg "$work"/*.log "$work"/*.err

command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 1; }
make -s -C "$here" O="$out" >/dev/null

scenarios="flood kick unthrottled nolimit gso"
# tag binary side [--shadow]; tag: what the table calls the run
runs=()
for sc in $scenarios; do
	for nq in 1 2; do
		runs+=("stock spin stock $sc $nq"
		       "ours spin ours $sc $nq"
		       "ours-nolock nolock ours $sc $nq"
		       "null-stock spin stock $sc $nq --shadow"
		       "null-ours spin ours $sc $nq --shadow")
	done
done

one_run() {	# tag bin side scenario queues [--shadow] rep
	local tag=$1 bin=$2 side=$3 sc=$4 nq=$5 shadow='' rep
	shift 5
	if [ "$1" = --shadow ]; then
		shadow=--shadow
		shift
	fi
	rep=$1
	local f=$work/$tag.$sc.$nq.$rep
	local toggles=(--toggle-collect="cnt_${side}_*" --toggle-collect='skip_*')
	[ "$side" = ours ] &&
		toggles+=(--toggle-collect=xenvif_credit_gso_refund)
	[ -n "$shadow" ] &&
		toggles=(--toggle-collect='cnt_null_*' --toggle-collect='skipn_*')
	valgrind --tool=callgrind "${toggles[@]}" \
		--callgrind-out-file="$f.cg" \
		"$out/replay-$bin" $shadow "$side" "$sc" "$nq" "$n" \
		>"$f.log" 2>"$f.err"
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
calls() {	# callgrind output, function: calls recorded to it
	awk -v want="$2" '
	/^c?fn=\(/ {
		s = $0; sub(/^c?fn=\(/, "", s)
		id = s; sub(/\).*/, "", id)
		nm = s; sub(/^[0-9]+\) ?/, "", nm)
		if (nm != "") name[id] = nm
		if ($0 ~ /^cfn=/) cur = name[id]
		next
	}
	/^calls=/ && cur == want { s = $0; sub(/^calls=/, "", s); split(s, a, " "); c += a[1] }
	END { print c + 0 }' "$1"
}
irs_of() {	# tag sc nq: "Ir/Ir/Ir" of the reps, "(differ!)" if they do
	local irs=() rep same list
	for rep in $(seq 1 "$reps"); do
		irs+=("$(ir "$work/$1.$2.$3.$rep.cg")")
	done
	same=$(printf '%s\n' "${irs[@]}" | sort -u | wc -l)
	list=$(IFS=/; echo "${irs[*]}")
	[ "$same" = 1 ] || list="$list (differ!)"
	echo "$list"
}
div() {		# a b [scale]: a / b, 0.xx not .xx
	printf "%.${3:-2}f" "$(echo "scale=6; $1 / $2" | bc)"
}

declare -A net_of gross_of
md=$out/fastpath.md
row() {		# sc nq tag: one table row; sets net_of/gross_of
	local sc=$1 nq=$2 tag=$3 null cg=$work/$3.$1.$2.1.cg
	local log=$work/$3.$1.$2.1.log
	local adm ref ir0 nir gross net clock timer wakes lock vs vg name
	case $tag in
	stock) null=null-stock name=stock;;
	ours) null=null-ours name="ours";;
	ours-nolock) null=null-ours name="ours, no-op lock";;
	esac
	adm=$(field "$log" admitted)
	ref=$(field "$log" refused)
	# the same decisions with and without the shadow: the same pattern
	if [ "$adm" != "$(field "$work/$null.$sc.$nq.1.log" admitted)" ]; then
		echo "$tag $sc $nq: shadow run decided otherwise" >&2
		exit 1
	fi
	ir0=$(ir "$cg")
	nir=$(ir "$work/$null.$sc.$nq.1.cg")
	gross=$(div "$ir0" "$adm")
	net=$(div "$((ir0 - nir))" "$adm")
	net_of[$sc.$nq.$tag]=$net
	gross_of[$sc.$nq.$tag]=$gross
	clock=$(( $(calls "$cg" ktime_get_ns) + $(calls "$cg" get_jiffies_64) ))
	timer=$(( $(calls "$cg" hrtimer_start) + $(calls "$cg" mod_timer) ))
	wakes=$(field "$log" wakes)
	lock=$(calls "$cg" pthread_spin_lock)
	vs=- vg=-
	if [ "$tag" != stock ]; then
		vs=$(div "$net" "${net_of[$sc.$nq.stock]}")x
		vg=$(div "$gross" "${gross_of[$sc.$nq.stock]}")x
	fi
	echo "| $sc | $nq | $name | $adm | $ref | $(irs_of "$tag" "$sc" "$nq") | $gross | $(div "$nir" "$adm") | **$net** | **$vs** | $vg | $(div "$((clock * 1000))" "$adm" 1) | $(div "$((timer * 1000))" "$adm" 1) | $(div "$((wakes * 1000))" "$adm" 1) | $(div "$((lock * 1000))" "$adm" 1) |"
}
header() {
	echo "| scenario | queues | credit | admitted | refused | Ir per run ($reps runs) | Ir/admitted | shared loop Ir/admitted | credit Ir/admitted | vs stock | vs stock, loop included | clock reads /1000 | timer starts /1000 | wake-ups /1000 | locks /1000 |"
	echo "|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
}
{
	echo "## Fast path of the transmit credit, like for like (callgrind)"
	echo
	echo "Instructions (Ir) that each side runs for its credit, per admitted"
	echo "packet, counted by \`valgrind --tool=callgrind --toggle-collect=...\`"
	echo "over $n admission decisions per run, $reps runs each (see"
	echo "replay.c for what each side counts).  \"credit Ir/admitted\" takes off"
	echo "the loop and calls both sides share, counted alone in the same"
	echo "pattern (\"shared loop\"): the goal, at most 1.05x stock, applies to"
	echo "it.  The last four columns count, per 1000 admitted packets, the"
	echo "clock reads (ktime_get_ns(), or get_jiffies_64() for stock), timer"
	echo "starts (hrtimer_start(), or mod_timer()), timer callbacks run and"
	echo "bucket locks taken."
	echo "Built with: \`$(cat "$out/replay.cflags")\`"
	echo "($(${CC:-cc} --version | head -n1); $(valgrind --version))."
	echo
	header
	for sc in flood kick unthrottled nolimit; do
		for nq in 1 2; do
			for tag in stock ours ours-nolock; do
				row "$sc" "$nq" "$tag"
			done
		done
	done
	echo
	echo "TSO packets under a packet limit (gso): ours charges wire packets;"
	echo "stock has no packet credit and runs under the byte rate of the same"
	echo "wire packets, for reference only (no goal)."
	echo
	header
	for nq in 1 2; do
		for tag in stock ours ours-nolock; do
			row gso "$nq" "$tag"
		done
	done
	echo
	echo "Goal of the project: ours at most 1.05x stock per admitted packet."
} >"$md"
cat "$md"
