#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end test of xen-netback's rate limits on real Xen: Xen 4.17 and
# Debian's 6.12 kernel as dom0 under qemu-system-x86_64 (no KVM needed), a
# PV guest flooding 60-byte frames with pktgen, dom0 counting what netback
# passes.  One boot runs the stock module's scenarios, swaps in the patched
# module and runs the full set.
#
#   PATCHED_KO=build/xen-netback.ko VIF_RATE=build/xen-vif-rate \
#       tools/testing/xen-netback/e2e/run.sh
#
# PATCHED_KO  patched module (if missing: stock scenarios only, and FAIL)
# VIF_RATE    toolstack command for run-time changes (optional; without it
#             the rig writes the xenstore keys itself)
# XL_TOOLSTACK  the toolstack series' build (default build/xen-toolstack:
#             bin/xl, bin/libxl-save-helper, lib/) for scenario 16, which
#             fails without it; VIF_RATE_LIBXL its WITH_LIBXL=1 xen-vif-rate
#             (default build/xen-vif-rate-libxl/xen-vif-rate)
# E2E_PLAN    plan file run by dom0 (default plans/full or plans/stock)
# E2E_TIMEOUT seconds before QEMU is stopped (default 1500)
# E2E_ALLOW_STOCK_ONLY=1  do not fail because PATCHED_KO is missing
#
# Output in build/e2e: results.md (table), results.txt (PASS/FAIL lines),
# serial.log (Xen + dom0 console), dom0-dmesg.log, guest-console.log.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PATCHED_KO=${PATCHED_KO:-$E2E_TOP/build/xen-netback.ko}
VIF_RATE=${VIF_RATE:-$E2E_TOP/build/xen-vif-rate}
E2E_TIMEOUT=${E2E_TIMEOUT:-1500}

t_start=$(date +%s)
e2e_setup
if [ -e "$PATCHED_KO" ]; then
	E2E_PLAN=${E2E_PLAN:-$E2E_DIR/plans/full}
	e2e_log "patched module: $PATCHED_KO"
else
	E2E_PLAN=${E2E_PLAN:-$E2E_DIR/plans/stock}
	e2e_log "no patched module at $PATCHED_KO: stock scenarios only"
fi
if [ -x "$VIF_RATE" ]; then
	e2e_log "run-time limits through $VIF_RATE"
else
	e2e_log "no $VIF_RATE: run-time limits written with xenstore-write"
fi
e2e_build_guest
e2e_build_dom0
t_built=$(date +%s)
e2e_log "initramfs built in $((t_built - t_start))s; booting (timeout ${E2E_TIMEOUT}s)"
e2e_boot "$E2E_TIMEOUT"

rc=0
e2e_report || rc=1
if [ ! -e "$PATCHED_KO" ] && [ "${E2E_ALLOW_STOCK_ONLY:-0}" != 1 ]; then
	echo "FAIL patched/module-missing ($PATCHED_KO)" >>"$E2E_OUT/results.txt"
	rc=1
fi
{
	echo
	echo "wall time: $(($(date +%s) - t_start))s (build $((t_built - t_start))s, QEMU ${E2E_BOOT_SECS}s)"
	echo "run-time limit tool: $([ -x "$VIF_RATE" ] && echo "$VIF_RATE" || echo xenstore-write)"
} >>"$E2E_OUT/results.md"
cat "$E2E_OUT/results.md"
grep '^FAIL' "$E2E_OUT/results.txt" >&2 || true
exit $rc
