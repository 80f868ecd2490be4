#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the toolstack series (patches/xen/) built by
# scripts/xen-toolstack.sh, without a hypervisor:
#
#   xl-vif-parse        Xen's tools/xl/check-xl-vif-parse as patched, run
#                       against the patched xl and libxlutil (over
#                       Debian's lower 4.17 libraries), one test per case
#   xl-vif-parse-stock  the unpatched script against the patched xl and
#                       against Debian's xl: configs without a packet
#                       part parse as they always did
#   debian-refuses      Debian's xl refuses a rate with a packet part
#   diff-xlu-pkts       patched xlu_vif_parse_rate() against xen-vif-rate's
#                       rate_spec_parse() (tools/xen-vif-rate/tests/
#                       diff_xlu_pkts.c), under ASan+UBSan
#   go-bindings         the committed Go bindings match the IDL
#   series              build/xen-series/ is patches/xen/, every patch
#                       applied, LIBXL_HAVE_NIC_RATE_PACKETS present
#
# xl -N needs xenstore and a hypervisor handle: xenstore is Debian's real
# xenstored on a private socket (tests/xenstored-shim.so, as in the tool's
# xenstore.sh), and tests/xl-dryrun-shim.so answers xl's start-up
# questions (version, number of CPUs).  Ends with "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
tree=$build/xen-4.17.7
tl=$build/xen-toolstack
root=$build/deps/root
deblib=$root/usr/lib/x86_64-linux-gnu
debxl=$root/usr/lib/xen-4.17/bin/xl
tests=$top/tools/xen-vif-rate/tests
w=$build/xen-toolstack-check
total_p=0
total_f=0
xsd_pid=

cleanup() {
	[ -n "$xsd_pid" ] && kill "$xsd_pid" 2>/dev/null
}
trap cleanup EXIT

if [ ! -x "$tl/bin/xl" ] || [ ! -d "$tree/.git" ]; then
	echo "xen-toolstack-check: run scripts/xen-toolstack.sh first"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -rf "$w"
mkdir -p "$w/bin"

# result NAME PASSED FAILED
result() {
	echo "$1: $2 passed, $3 failed"
	total_p=$((total_p + $2))
	total_f=$((total_f + $3))
}

cc -O1 -shared -fPIC -o "$w/xenstored-shim.so" "$tests/xenstored-shim.c" \
	-ldl &&
cc -O1 -shared -fPIC -o "$w/xl-dryrun-shim.so" "$tests/xl-dryrun-shim.c" || {
	result shims 0 1
	echo "$total_p passed, $total_f failed"
	exit 1
}

XENSTORED_RUNDIR=$w LD_LIBRARY_PATH=$deblib XENSTORED_PATH=$w/socket \
	LD_PRELOAD=$w/xenstored-shim.so "$root/usr/lib/xen-4.17/bin/xenstored" \
	-N -T "$w/xsd-trace" >"$w/xsd.log" 2>&1 &
xsd_pid=$!
for _ in $(seq 50); do
	[ -S "$w/socket" ] && break
	sleep 0.1
done

# An xl wrapper per build: ours over Debian's lower libraries, Debian's.
mkxl() {
	cat >"$w/bin/$1" <<EOF
#!/bin/sh
XENSTORED_PATH=$w/socket LD_LIBRARY_PATH=$2 \\
	LD_PRELOAD=$w/xl-dryrun-shim.so exec $3 "\$@"
EOF
	chmod +x "$w/bin/$1"
}
mkxl xl-ours "$tl/lib:$deblib" "$tl/bin/xl"
mkxl xl-debian "$deblib" "$debxl"

# vif_parse NAME SCRIPT XL: run a check-xl-vif-parse; one test per case.
vif_parse() {
	local d=$w/$1
	mkdir -p "$d/bin"
	ln -sf "$w/bin/$3" "$d/bin/xl"
	(cd "$d" && PATH=$d/bin:$PATH bash "$2") >"$d.log" 2>&1
	local rc=$? n f
	n=$(grep -c '^test case .*\.\.\.$' "$d.log")
	f=$(grep -c "^test case .* failed (" "$d.log")
	grep "failed (" "$d.log" | head -n 10
	if [ "$n" = 0 ] || { [ "$rc" != 0 ] && [ "$f" = 0 ]; }; then
		tail -n 5 "$d.log"
		f=$((f + 1))
	fi
	result "$1" $((n - f < 0 ? 0 : n - f)) "$f"
}

vif_parse xl-vif-parse "$tree/tools/xl/check-xl-vif-parse" xl-ours
git -C "$tree" show xen-4.17.7:tools/xl/check-xl-vif-parse \
	>"$w/check-xl-vif-parse.stock"
vif_parse xl-vif-parse-stock-ours "$w/check-xl-vif-parse.stock" xl-ours
vif_parse xl-vif-parse-stock-debian "$w/check-xl-vif-parse.stock" xl-debian

# Fail closed: Debian's xl must refuse what it cannot honour, as a
# malformed rate (its libxlu's own message), not by failing to run.
p=0
f=0
for spec in '10Mb/s&20Kpps' '20Kpps' '10Mb/s@20ms&20Kpps@10ms'; do
	if "$w/bin/xl-debian" -N network-attach 0 "rate=$spec" \
		>"$w/debian.out" 2>&1; then
		echo "Debian's xl accepts rate=$spec: $(cat "$w/debian.out")"
		f=$((f + 1))
	elif grep -qE "config parsing error in vif: invalid (rate|replenishment interval) in \`" \
		"$w/debian.out"; then
		p=$((p + 1))
	else
		echo "Debian's xl failed on rate=$spec without refusing the rate: $(cat "$w/debian.out")"
		f=$((f + 1))
	fi
done
result debian-refuses "$p" "$f"

# The differential test against xen-vif-rate's parser.
if clang -O1 -g -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$tree/tools/include" -o "$w/diff_xlu_pkts" \
	"$tests/diff_xlu_pkts.c" "$top/tools/xen-vif-rate/rate_spec.c" \
	-L"$tl/lib" -L"$deblib" -Wl,-rpath-link,"$deblib" \
	-Wl,--disable-new-dtags,-rpath,"$tl/lib:$deblib" \
	-lxlutil -lxenlight -lxentoollog >"$w/diff_xlu_pkts.build" 2>&1; then
	"$w/diff_xlu_pkts" >"$w/diff_xlu_pkts.log" 2>&1
	rc=$?
	grep -v "^diff_xlu_pkts: [0-9]* passed" "$w/diff_xlu_pkts.log" |
		tail -n 25
	line=$(grep -E '^diff_xlu_pkts: [0-9]+ passed, [0-9]+ failed$' \
		"$w/diff_xlu_pkts.log")
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
	if [ -z "$p" ]; then
		p=0
		f=1
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	result diff-xlu-pkts "$p" "$f"
else
	cat "$w/diff_xlu_pkts.build"
	result diff-xlu-pkts 0 1
fi

# The Go bindings are generated files kept in the tree: up to date?
go=$tree/tools/golang/xenlight
if (cd "$go" && LIBXL_SRC_DIR=../../libs/light python3 gengotypes.py \
	../../libs/light/libxl_types.idl "$w/types.gen.go" \
	"$w/helpers.gen.go" >/dev/null 2>&1) &&
	cmp -s "$w/types.gen.go" "$go/types.gen.go" &&
	cmp -s "$w/helpers.gen.go" "$go/helpers.gen.go"; then
	result go-bindings 1 0
else
	echo "go-bindings: regenerated files differ from the series'"
	result go-bindings 0 1
fi

# The series: exported as kept, all applied, the feature macro there.
p=0
f=0
n=$(ls "$top"/patches/xen/[0-9][0-9][0-9][0-9]-*.patch | wc -l)
if [ "$(git -C "$tree" rev-list --count xen-4.17.7..HEAD)" = "$n" ]; then
	p=$((p + 1))
else
	echo "series: $n patches, $(git -C "$tree" rev-list --count xen-4.17.7..HEAD) commits"
	f=$((f + 1))
fi
if diff -r -x 0000-cover-letter.txt "$top/patches/xen" "$build/xen-series" \
	-x cover-letter.txt >"$w/series.diff" 2>&1; then
	p=$((p + 1))
else
	head -n 20 "$w/series.diff"
	f=$((f + 1))
fi
nm -D "$tl/lib/libxenlight.so.4.17.0" >"$w/libxenlight.syms" 2>&1
if grep -q '^#define LIBXL_HAVE_NIC_RATE_PACKETS 1' "$tree/tools/include/libxl.h" &&
	grep -q ' T libxl_device_nic_set_rate\(@\|$\)' "$w/libxenlight.syms"; then
	p=$((p + 1))
else
	echo "series: LIBXL_HAVE_NIC_RATE_PACKETS or libxl_device_nic_set_rate missing"
	f=$((f + 1))
fi
result series "$p" "$f"

echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
