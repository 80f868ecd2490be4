#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Checks of the series an upstream reviewer runs first:
#  - checkpatch.pl --strict on every patch (only the warnings explained in
#    patches/checkpatch-allowed are tolerated);
#  - every prefix of the series builds (bisectable);
#  - W=1 and sparse (C=2) builds add no warning to drivers/net/xen-netback;
#  - the series applies and builds on Debian's linux-source-6.1;
#  - Kconfig links the KUnit suite into the driver only with KUnit
#    built in;
#  - the credit and its KUnit suite build for i386 without 64-bit
#    divisions that only libgcc has.
# Ends with "series: N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux-6.12
work=$top/build/series-check
pass=0
fail=0

ok() { echo "PASS $*"; pass=$((pass + 1)); }
ko() { echo "FAIL $*"; fail=$((fail + 1)); }

rm -rf "$work"
mkdir -p "$work"
"$top/scripts/deps.sh" host sparse make gcc-12 dwarves python3-ply flex bison \
	>/dev/null

kver=$("$top/scripts/deps.sh" kver)
hdr=$top/build/deps/root/usr/src/linux-headers-$kver

# build_dir DIR LOG [make args]: an M= build of one xen-netback directory
build_dir() {
	local dir=$1 log=$2
	shift 2
	make -C "$hdr" M="$dir" -j"$(nproc)" "$@" modules >"$log" 2>&1
}

# export_dir REV DEST: drivers/net/xen-netback as of REV
export_dir() {
	mkdir -p "$2"
	git -C "$tree" archive "$1" drivers/net/xen-netback | tar -x -C "$2"
}

# warnings LOG: warning lines without line numbers or paths
warnings() {
	grep -E 'warning:|error:' "$1" | sed -E 's#^.*/xen-netback/##; s#:[0-9]+:[0-9]+:#:#; s#:[0-9]+:#:#' |
		sort -u
}

# 1. checkpatch --strict
"$top/scripts/format-series.sh" "$tree" "$work/mail" >/dev/null
for p in "$work"/mail/0*-*.patch; do
	case $p in *0000-cover-letter.patch) continue ;; esac
	name=$(basename "$p")
	(cd "$tree" && ./scripts/checkpatch.pl --strict --no-signoff -q "$p") >"$work/$name.checkpatch" 2>&1
	rc=$?
	bad=$(grep -E '^(ERROR|WARNING|CHECK):' "$work/$name.checkpatch" |
		grep -v -F -f "$top/patches/checkpatch-allowed" || true)
	# A non-zero status must be explained by allowed reports: checkpatch
	# failing to run at all (a perl error, a missing file) is a failure.
	if [ "$rc" -ne 0 ] && ! grep -qE '^(ERROR|WARNING|CHECK):' "$work/$name.checkpatch"; then
		bad="checkpatch exited $rc without a report"
	fi
	if [ -z "$bad" ]; then
		ok "checkpatch --strict $name"
	else
		cat "$work/$name.checkpatch"
		ko "checkpatch --strict $name"
	fi
done

# 2. every prefix builds; 3. W=1 and sparse against the unpatched base
revs=$(git -C "$tree" rev-list --reverse base..HEAD)
export_dir base "$work/base"
# The baseline must be a build: a failed one's error lines would hide the
# same lines in the series' builds.
if build_dir "$work/base/drivers/net/xen-netback" "$work/base-w1.log" W=1 C=2 &&
   grep -q ' CHECK ' "$work/base-w1.log"; then
	ok "the unpatched base builds (W=1, sparse): the baseline"
else
	tail -n 30 "$work/base-w1.log"
	ko "the unpatched base builds (W=1, sparse): the baseline"
fi
for rev in $revs; do
	subj=$(git -C "$tree" log -1 --format=%s "$rev")
	d=$work/$rev
	export_dir "$rev" "$d"
	if build_dir "$d/drivers/net/xen-netback" "$d.log" W=1 C=2; then
		ok "builds: $subj"
	else
		tail -n 30 "$d.log"
		ko "builds: $subj"
		continue
	fi
	# sparse must really have run over every file it was given
	if ! grep -q ' CHECK ' "$d.log"; then
		ko "sparse ran: $subj"
	fi
	new=$(comm -13 <(warnings "$work/base-w1.log") <(warnings "$d.log"))
	if [ -z "$new" ]; then
		ok "no new W=1/sparse warning: $subj"
	else
		echo "$new"
		ko "no new W=1/sparse warning: $subj"
	fi
done

# 4. Debian's linux-source-6.1
if [ "${SERIES_SKIP_61:-}" = 1 ]; then
	echo "SKIP linux-source-6.1 (SERIES_SKIP_61=1)"
else
	series61=$top/patches
	[ -d "$top/patches/6.1" ] && series61=$top/patches/6.1
	if "$top/scripts/prepare-tree.sh" "$series61" 6.1 >"$work/prepare-6.1.log" 2>&1; then
		ok "series applies to linux-source-6.1 ($(basename "$series61"))"
		if "$top/scripts/build-module.sh" "$top/build/linux-6.1" \
			"$work/xen-netback-6.1.ko" 6.1 >"$work/build-6.1.log" 2>&1; then
			ok "module builds for Debian's 6.1 kernel"
		else
			tail -n 30 "$work/build-6.1.log"
			ko "module builds for Debian's 6.1 kernel"
		fi
	else
		tail -n 20 "$work/prepare-6.1.log"
		ko "series applies to linux-source-6.1"
	fi
fi

# 5. Kconfig: credit_kunit.o is linked into xen-netback.o when the driver
# is built, so only with KUnit built in: with KUNIT=m a built-in driver
# would leave vmlinux with undefined KUnit symbols, and a modular one
# would depend on kunit.ko (and run the suite at every load).
# allnoconfig with the symbols asked for, then what Kconfig made of the
# test's.
# allnoconfig ARCH DIR: allnoconfig into DIR with the symbols of
# DIR/fragment asked for; its output in DIR/log.
allnoconfig() {
	KCONFIG_ALLCONFIG="$2/fragment" make -C "$tree" O="$2" ARCH="$1" \
		allnoconfig >"$2/log" 2>&1 && return
	tail -n 20 "$2/log"
	return 1
}

kconfig_case() {
	local name=$1 want=$2 backend=$3 kunit=$4 test=$5 got
	local o=$work/kconfig-$name

	mkdir -p "$o"
	printf '%s\n' CONFIG_64BIT=y CONFIG_MODULES=y CONFIG_NET=y \
		CONFIG_INET=y CONFIG_NETDEVICES=y CONFIG_HYPERVISOR_GUEST=y \
		CONFIG_PARAVIRT=y CONFIG_XEN=y CONFIG_XEN_PV=y CONFIG_XEN_DOM0=y \
		CONFIG_XEN_BACKEND=y "CONFIG_XEN_NETDEV_BACKEND=$backend" \
		"CONFIG_KUNIT=$kunit" "CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=$test" \
		>"$o/fragment"
	if ! allnoconfig x86_64 "$o"; then
		ko "Kconfig $name: allnoconfig"
		return
	fi
	# A symbol whose dependencies fail is left out of .config: n.
	got=$(for sym in KUNIT XEN_NETBACK_CREDIT_KUNIT_TEST XEN_NETDEV_BACKEND; do
		v=$(sed -n "s/^CONFIG_$sym=//p" "$o/.config")
		printf 'CONFIG_%s=%s ' "$sym" "${v:-n}"
	done)
	if [ "$got" = "$want " ]; then
		ok "Kconfig $name: $got"
	else
		ko "Kconfig $name: got $got, want $want"
	fi
}
kconfig_case builtin-driver-kunit-module \
	"CONFIG_KUNIT=m CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=n CONFIG_XEN_NETDEV_BACKEND=y" y m m
# A modular driver must not need a KUnit module either (a distribution's
# KUNIT=m with KUNIT_ALL_TESTS=m would make xen-netback.ko depend on it).
kconfig_case module-driver-kunit-module \
	"CONFIG_KUNIT=m CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=n CONFIG_XEN_NETDEV_BACKEND=m" m m m
kconfig_case module-driver-kunit-builtin \
	"CONFIG_KUNIT=y CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=m CONFIG_XEN_NETDEV_BACKEND=m" m y m
kconfig_case builtin-driver-kunit-builtin \
	"CONFIG_KUNIT=y CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=y CONFIG_XEN_NETDEV_BACKEND=y" y y y

# 6. 32-bit: a u64 divided with / or % compiles to a call of libgcc's
# __udivdi3 and kin, which i386 and arm32 kernels do not link (modpost or
# the vmlinux link fails); div64_u64() and friends are the kernel's.  The
# suite builds on any architecture: i386 allnoconfig with it, optimised
# for size (gcc then keeps even divisions by constants), two objects.
i386_check() {
	local o=$work/i386 x libcalls

	mkdir -p "$o"
	printf '%s\n' CONFIG_KUNIT=y CONFIG_NET=y CONFIG_NETDEVICES=y \
		CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=y CONFIG_CC_OPTIMIZE_FOR_SIZE=y \
		>"$o/fragment"
	if ! allnoconfig i386 "$o"; then
		ko "i386: allnoconfig"
		return
	fi
	for x in CONFIG_XEN_NETBACK_CREDIT_KUNIT_TEST=y CONFIG_CC_OPTIMIZE_FOR_SIZE=y; do
		if ! grep -qx "$x" "$o/.config"; then
			ko "i386: $x not in .config"
			return
		fi
	done
	if ! make -C "$tree" O="$o" ARCH=i386 -j"$(nproc)" \
		drivers/net/xen-netback/credit.o \
		drivers/net/xen-netback/credit_kunit.o >>"$o/log" 2>&1; then
		tail -n 30 "$o/log"
		ko "i386: credit.o and credit_kunit.o build"
		return
	fi
	if grep -E 'xen-netback/.*(warning|error):' "$o/log"; then
		ko "i386: credit.o and credit_kunit.o build without warnings"
	else
		ok "i386: credit.o and credit_kunit.o build without warnings"
	fi
	libcalls=$(nm -u "$o"/drivers/net/xen-netback/credit.o \
		"$o"/drivers/net/xen-netback/credit_kunit.o |
		grep -E '__(u)?(div|mod)di3|__udivmoddi4|__divmoddi4' || true)
	if [ -z "$libcalls" ]; then
		ok "i386: no libgcc 64-bit division"
	else
		echo "$libcalls"
		ko "i386: no libgcc 64-bit division"
	fi
}
i386_check

echo "series: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
