#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit suite of the credit core on UML (ARCH=um, x86_64 host) in
# the prepared tree.  Prints kunit.py's report; the build is kept in
# build/kunit so that a second run only rebuilds what changed.
#
#   scripts/kunit.sh [TREE]          the suite
#   KUNIT_SAN=1 scripts/kunit.sh     the suite under KASAN and UBSAN
#                                    (build/kunit-san); a report fails it.
#                                    UBSAN's alignment check stays off: on
#                                    UML it reports the core's own structs
#                                    (task_struct, net_device) at boot.
#   KUNIT_SAN=plant scripts/kunit.sh  the scan's self-test (a planted
#                                    out-of-bounds write must fail it)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$top/build/linux-6.12}

"$top/scripts/deps.sh" host make gcc bc flex bison python3
cd "$tree"
# KUNIT_SAN=plant: the scan's self-test.  A case that writes past a
# kmalloc()ed buffer is added to the suite for one run (the tree's file is
# restored on exit): KASAN must report it and this script must fail.
if [ "${KUNIT_SAN:-0}" = plant ]; then
	f=drivers/net/xen-netback/credit_kunit.c
	cp "$f" "$f.orig"
	trap 'mv "$f.orig" "$f"' EXIT
	python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('#include <linux/string.h>\n', '#include <linux/string.h>\n#include <linux/slab.h>\n', 1)
s = s.replace('static struct kunit_case xen_netback_credit_cases[] = {\n',
	'static void planted_oob_test(struct kunit *test)\n{\n'
	'\tvolatile char *p = kmalloc(16, GFP_KERNEL);\n\n'
	'\tp[16] = 1;\n\tkfree((void *)p);\n}\n\n'
	'static struct kunit_case xen_netback_credit_cases[] = {\n'
	'\tKUNIT_CASE(planted_oob_test),\n', 1)
open(p, 'w').write(s)
PY
	grep -q planted_oob_test "$f" || { echo "kunit: could not plant the case"; exit 1; }
	if KUNIT_SAN=1 "$top/scripts/kunit.sh" "$tree" >"$top/build/kunit-plant.log" 2>&1; then
		echo "FAIL the scan missed a planted out-of-bounds write"
		echo "0 passed, 1 failed"
		exit 1
	fi
	if grep -q 'BUG: KASAN: slab-out-of-bounds in planted_oob_test' "$top/build/kunit-plant.log"; then
		echo "PASS KASAN reported the planted out-of-bounds write and the run failed"
		echo "1 passed, 0 failed"
		exit 0
	fi
	tail -n 20 "$top/build/kunit-plant.log"
	echo "FAIL the run failed without the planted KASAN report"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ "${KUNIT_SAN:-0}" = 1 ]; then
	rc=0
	./tools/testing/kunit/kunit.py run --arch=um \
		--kunitconfig=drivers/net/xen-netback \
		--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_KASAN_VMALLOC=y \
		--kconfig_add CONFIG_UBSAN=y --kconfig_add CONFIG_UBSAN_BOUNDS=y \
		--kconfig_add CONFIG_UBSAN_SHIFT=y \
		--kconfig_add CONFIG_UBSAN_DIV_ZERO=y \
		--kconfig_add CONFIG_UBSAN_BOOL=y --kconfig_add CONFIG_UBSAN_ENUM=y \
		--kconfig_add CONFIG_UBSAN_ALIGNMENT=n \
		--build_dir="$top/build/kunit-san" --jobs="$(nproc)" || rc=$?
	# The checkers report in the kernel log (kunit.py keeps it in
	# test.log), not always as a failed case.  From the suite's start on:
	# UML's own boot warns about PCI without virtio before it.
	if awk '/xen-netback-credit/ { on = 1 } on' "$top/build/kunit-san/test.log" |
	   grep -E 'BUG: KASAN|UBSAN:|WARNING:|Oops|BUG:'; then
		echo "kunit: a KASAN/UBSAN report above: failing"
		rc=1
	fi
	# Both must really be in the kernel that ran.
	for c in CONFIG_KASAN=y CONFIG_UBSAN=y; do
		grep -qx "$c" "$top/build/kunit-san/.config" ||
			{ echo "kunit: $c missing from the built kernel"; rc=1; }
	done
	exit $rc
fi
./tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig=drivers/net/xen-netback \
	--build_dir="$top/build/kunit" --jobs="$(nproc)"
