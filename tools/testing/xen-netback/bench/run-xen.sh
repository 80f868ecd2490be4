#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Xen benchmarks of the transmit credit, in one boot of the e2e rig (Xen 4.17
# + Debian's 6.12 dom0 under QEMU TCG, a 1-vcpu PV guest flooding 60-byte
# pktgen frames through netfront), with bench/plan-xen as dom0's plan:
#
#  1. accuracy: patched packet limit at 1k/5k/20k pps (xen-vif-rate NKpps,
#     50 ms interval) and stock's byte limit at the same rate of 60-byte
#     frames (rate = pps * 60 B/s via xenstore-write), the vif's rx_packets
#     sampled every 100 ms (bench-sampler, CLOCK_MONOTONIC): mean pps and the
#     worst window against burst + rate * window (burst = rate * 50 ms);
#     build/bench/accuracy.png plots pps per window.
#  2. dom0 CPU of a held-back flood: patched packet limit 5 kpps, stock +
#     tc police 5 kpps (ingress matchall), no limit; dom0 time from
#     `xl list 0` over CPU_SECS, and the pps reaching dom0's stack.
#  3. no limit: ours against the unpatched source built the same way
#     (scripts/build-unpatched.sh) and against Debian's stock module, under
#     one guest whose vif is detached and attached again for each module, the
#     order reversed every round; the mean of the per-round ratios is judged
#     by its one-sided 95% bounds.
#
# Writes build/bench/xen.md and build/bench/accuracy.png, prints the tables.
# Figures only: exits 0 unless the rig broke (no boot to the end marker, no
# data).  Raw files in build/bench/xen/ (serial.log, series .dat files).
#
#   PATCHED_KO=build/xen-netback.ko VIF_RATE=build/xen-vif-rate \
#       tools/testing/xen-netback/bench/run-xen.sh
#
# Knobs (environment): XB_ACC_SECS (20) XB_ACC_ROUNDS (3) XB_ACC_PPS
# ("1000 5000 20000") XB_SAMPLE_MS (100) XB_CPU_SECS (10) XB_CPU_ROUNDS (3)
# XB_THR_ROUNDS (6) XB_THR_MODS ("stock unpatched patched") XB_SETTLE_SECS (2)
# XB_UNPATCHED (1: build and measure the unpatched module; 0: stock and ours
# only) XB_TIMEOUT (1800 s); XB_PLAN (dom0 plan,
# default bench/plan-xen; bench/plan-tc = the tc police rows only;
# bench/plan-tcp = bulk TCP under our packet limit against tc police;
# bench/plan-tcp-qlen = the same without TSO under our limit alone, at
# two guest txqueuelens; bench/plan-tcp-switch = without TSO, our limit
# before and after one tc police round; bench/plan-tcp-why = what keeps
# the guest retransmitting after that round, with the guest's TCP state;
# bench/plan-nolimit = the no-limit rounds only), XB_OUT,
# XB_MD, XB_PNG (output paths).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
bench=$top/build/bench
mkdir -p "$bench"

# The e2e rig's host steps, read-only; our outputs go to build/bench/xen.
export E2E_OUT=${XB_OUT:-$bench/xen}
# shellcheck source=../e2e/lib.sh disable=SC1091
. "$top/tools/testing/xen-netback/e2e/lib.sh"

PATCHED_KO=${PATCHED_KO:-$top/build/xen-netback.ko}
VIF_RATE=${VIF_RATE:-$top/build/xen-vif-rate}
# shellcheck disable=SC2034 # read by e2e_build_dom0
E2E_PLAN=${XB_PLAN:-$here/plan-xen}
ACC_SECS=${XB_ACC_SECS:-20}
ACC_ROUNDS=${XB_ACC_ROUNDS:-3}
ACC_PPS=${XB_ACC_PPS:-1000 5000 20000}
SAMPLE_MS=${XB_SAMPLE_MS:-100}
CPU_SECS=${XB_CPU_SECS:-10}
CPU_ROUNDS=${XB_CPU_ROUNDS:-3}
THR_ROUNDS=${XB_THR_ROUNDS:-6}
THR_MODS=${XB_THR_MODS:-stock unpatched patched}
UNPATCHED=${XB_UNPATCHED:-1}
SETTLE_SECS=${XB_SETTLE_SECS:-2}
TIMEOUT=${XB_TIMEOUT:-1800}
md=${XB_MD:-$bench/xen.md}
png=${XB_PNG:-$bench/accuracy.png}

[ -e "$PATCHED_KO" ] || e2e_die "no patched module at $PATCHED_KO"
[ -x "$VIF_RATE" ] || e2e_die "no xen-vif-rate at $VIF_RATE"
UNPATCHED_KO=${UNPATCHED_KO:-$top/build/xen-netback-unpatched.ko}
if [ "$UNPATCHED" = 1 ]; then
	"$top/scripts/build-unpatched.sh" "$UNPATCHED_KO" >&2 ||
		e2e_die "cannot build the unpatched module"
fi
command -v tc >/dev/null || e2e_die "no tc (iproute2) on this host to copy into dom0"

t_start=$(date +%s)
e2e_setup
"$top/scripts/deps.sh" host gnuplot-nox || e2e_log "gnuplot-nox not installed: no plot"

# dom0 initramfs: the rig's, plus the sampler, tc, the police modules, our
# dom0 steps and knobs (added to its root, then archived again).
gcc -O2 -Wall -Wextra -static -o "$E2E_OUT/bench-sampler" "$here/sampler.c"
e2e_build_guest
e2e_build_dom0
root=$E2E_OUT/dom0-root
install -m 755 "$E2E_OUT/bench-sampler" "$root/usr/bin/bench-sampler"
if [ "$UNPATCHED" = 1 ]; then
	mkdir -p "$root/lib/modules/unpatched"
	cp "$UNPATCHED_KO" "$root/lib/modules/unpatched/xen-netback.ko"
fi
e2e_copy_bin "$root" "$(command -v tc)" /usr/sbin/tc
for m in sch_ingress cls_matchall act_police; do
	e2e_module "$m" "$root/lib/modules/stock"
done
install -m 644 "$here/dom0-bench.sh" "$root/e2e/bench-lib.sh"
cat >"$root/e2e/bench.conf" <<-EOF2
	ACC_SECS=$ACC_SECS
	ACC_ROUNDS=$ACC_ROUNDS
	ACC_PPS="$ACC_PPS"
	SAMPLE_MS=$SAMPLE_MS
	CPU_SECS=$CPU_SECS
	CPU_ROUNDS=$CPU_ROUNDS
	THR_ROUNDS=$THR_ROUNDS
	THR_MODS="$THR_MODS"
	SETTLE_SECS=$SETTLE_SECS
EOF2
e2e_cpio "$root" "$E2E_OUT/dom0.initrd"
# Is the unpatched build the same code as Debian's module?  Then the two
# are an A/A pair: their difference is the rig's noise.
rm -f "$E2E_OUT/aa.txt"
if [ "$UNPATCHED" = 1 ]; then
	for m in stock unpatched; do
		objcopy -O binary --only-section=.text \
			"$root/lib/modules/$m/xen-netback.ko" "$E2E_OUT/$m.text"
	done
	if cmp -s "$E2E_OUT/stock.text" "$E2E_OUT/unpatched.text"; then
		echo "identical" >"$E2E_OUT/aa.txt"
	else
		echo "different" >"$E2E_OUT/aa.txt"
	fi
fi
t_built=$(date +%s)
e2e_log "initramfs built in $((t_built - t_start))s; booting (timeout ${TIMEOUT}s)"
e2e_boot "$TIMEOUT"

raw=$E2E_OUT/bench.raw
tr -d '\r' <"$E2E_OUT/serial.log" | grep -a '^@@[ACIT]' >"$raw" || true
if grep -q '^@@[AC]|' "$raw" || ! grep -q '^@@T|' "$raw"; then
	"$here/xen-report.sh" "$raw" "$E2E_OUT" "$md" "$png" \
		"$KVER" "$E2E_BOOT_END" "$E2E_BOOT_SECS" "$ACC_SECS" "$SAMPLE_MS" "$CPU_SECS"
else
	# plan-tcp alone: only its table, below, and dom0's notes.
	{
		echo "## Xen benchmarks (xen-netback transmit credit): bulk TCP"
		echo
		echo "Xen 4.17 + Debian $KVER dom0 (2 vcpus) under QEMU TCG on $(nproc) host cores;" \
			"boot ended: $E2E_BOOT_END after ${E2E_BOOT_SECS}s."
		echo
		echo "Notes from dom0:"
		echo
		sed -n 's/^@@I|/- /p' "$raw"
	} >"$md"
fi
{
	echo
	echo "wall time: $(($(date +%s) - t_start))s (QEMU ${E2E_BOOT_SECS}s, boot ended: $E2E_BOOT_END);" \
		"raw console: ${E2E_OUT#"$top"/}/serial.log"
} >>"$md"
# plan-tcp: bulk TCP under our packet limit against tc police.
if grep -q '^@@T|' "$raw"; then
	{
		echo
		echo "### Bulk TCP, our packet limit against tc police (plan-tcp)"
		echo
		echo "| case | round | wire segs/s at the vif | MB/s at the vif | police drops | guest OutSegs | RetransSegs | RTOs | spurious RTOs | guest qdisc drops | dom0 CPU % | s |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
		awk -F'|' '$1 == "@@T" { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7, $8, $11, $12, $13, $9, $10 }' "$raw"
	} >>"$md"
fi
cat "$md"
rc=0
[ "$E2E_BOOT_END" = end ] || { e2e_log "boot did not reach its end marker ($E2E_BOOT_END)"; rc=1; }
if ! grep -q '^@@[CT]|' "$raw" ||
	{ [ "$E2E_PLAN" = "$here/plan-xen" ] && ! grep -q '^@@A|' "$raw"; }; then
	e2e_log "no benchmark data on the console"; rc=1
fi
exit $rc
