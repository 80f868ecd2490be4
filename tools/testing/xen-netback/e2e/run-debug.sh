#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The end-to-end run on a debug dom0 kernel: the same rig as run.sh, with
# dom0 booting the kernel of scripts/debug-kernel.sh (our series built in
# Debian's 6.12 source with lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP,
# DEBUG_OBJECTS_TIMERS, KFENCE, SLUB debugging and UBSAN; netback a module
# of it; no KASAN: it cannot boot a Xen PV dom0, see dom0.config) and the
# guests booting Debian's kernel.  plans/debug runs the scenarios that
# cover every path of the series, scans dom0's log for any checker's
# report, then plants one report of each kind (plant_reports) to show the
# scan sees them.
#
#   tools/testing/xen-netback/e2e/run-debug.sh
#
# DEBUG_KERNEL  the built kernel (default build/debug-kernel/out)
# DEBUG_KCSAN=1 the KCSAN kernel (DEBUG_KCSAN=1 scripts/debug-kernel.sh,
#               build/debug-kernel-kcsan/out), the same plan; the expected
#               list adds the planted data race; output in build/e2e-kcsan.
# Output in build/e2e-debug (as run.sh's in build/e2e).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
kind=debug
[ "${DEBUG_KCSAN:-0}" = 1 ] && kind=kcsan
if [ $kind = kcsan ]; then
	dk=${DEBUG_KERNEL:-$top/build/debug-kernel-kcsan/out}
else
	dk=${DEBUG_KERNEL:-$top/build/debug-kernel/out}
fi

for f in bzImage xen-netback.ko xnb-plant.ko; do
	[ -e "$dk/$f" ] || { echo "run-debug: no $dk/$f (scripts/debug-kernel.sh)" >&2; exit 1; }
done

export E2E_DEBUG_KERNEL=$dk
export E2E_DOM0_VMLINUZ=$dk/bzImage
# SLUB: sanity checks, red zones, poisoning; KFENCE: one sampled
# allocation per 5 ms.  No comma here: QEMU splits -initrd on it.
export E2E_DOM0_ARGS=${E2E_DOM0_ARGS:-slub_debug=FZP kfence.sample_interval=5}
# This dom0 is slow (lockdep, SLUB checks): it passes ~3 kpps of the
# 60-byte flood where Debian's passes 60 kpps, so a rate under the limit
# says nothing here and the lower bar only asks that traffic flows (rate x
# T less 80%).  The upper bar (burst + rate x T + 3%) is as strict as in
# run.sh: a debug kernel must never let more through.
export E2E_LOW_PCT=${E2E_LOW_PCT:-80}
# Three create/destroy rounds while throttled (plans/debug.expected names
# them).  Complete runs took 534-562 s of QEMU on an idle machine: 1200 s
# stops a hung one within make check's hour (KCSAN's kernel is slower).
export E2E_RECREATE=3
if [ $kind = kcsan ]; then
	export E2E_TIMEOUT=${E2E_TIMEOUT:-2400}
else
	export E2E_TIMEOUT=${E2E_TIMEOUT:-1200}
fi
# The guests (Debian's kernel) boot with SLUB's checks.  On this slow dom0
# a 1-vCPU pktgen guest sometimes corrupted its own slab early in its
# flood and oopsed (kmem_cache_alloc in pktgen, then a refcount underflow
# in netfront's xennet_tx_buf_gc), while netback's ring showed every
# request consumed and answered (see the e2e README); it happens with
# stock netback and no limit too.  With these checks a double free or a
# write after free in a guest is reported with its stacks, at the bad
# free; check_guests shows it.
export E2E_GUEST_ARGS=${E2E_GUEST_ARGS-slub_debug=FZPU}
export PATCHED_KO=$dk/xen-netback.ko
export E2E_OUT=${E2E_OUT:-$top/build/e2e-$kind}
export E2E_PLAN=${E2E_PLAN:-$here/plans/debug}
if [ $kind = kcsan ] && [ -z "${E2E_EXPECTED:-}" ]; then
	mkdir -p "$E2E_OUT"
	{ cat "$here/plans/debug.expected"; echo plant/patched/caught-kcsan; } >"$E2E_OUT/expected"
	export E2E_EXPECTED=$E2E_OUT/expected
fi
exec "$here/run.sh"
