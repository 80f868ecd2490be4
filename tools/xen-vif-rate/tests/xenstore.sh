#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# set/show/clear against Debian's real xenstored 4.17 on a private Unix
# socket (hypervisor interfaces stubbed by xenstored-shim.so, see there).
# Usage: xenstore.sh BINARY   (env: XS_ROOT = unpacked Debian packages,
#                              XS_SHIM = the built xenstored-shim.so)
bin=$1
root=${XS_ROOT:?}
shim=${XS_SHIM:?}
pass=0
fail=0
tmp=$(mktemp -d)
xsd=$root/usr/lib/xen-4.17/bin/xenstored
LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu
XENSTORED_PATH=$tmp/socket
export LD_LIBRARY_PATH XENSTORED_PATH
be=/local/domain/0/backend/vif
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

XENSTORED_RUNDIR=$tmp LD_PRELOAD=$shim "$xsd" -N -T "$tmp/trace" \
	>"$tmp/xsd.log" 2>&1 &
pid=$!
i=0
while [ ! -S "$tmp/socket" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if ! "$root/usr/bin/xenstore-write" /tool/probe 1 2>"$tmp/probe"; then
	echo "xenstored did not start: $(cat "$tmp/xsd.log" "$tmp/probe")"
	echo "xenstore: 0 passed, 1 failed"
	exit 1
fi

xs() {
	cmd=$1
	shift
	"$root/usr/bin/xenstore-$cmd" "$@"
}

ok() {
	if [ "$2" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1"
		[ -s "$tmp/out" ] && echo "  stdout: $(cat "$tmp/out")"
		[ -s "$tmp/err" ] && echo "  stderr: $(cat "$tmp/err")"
	fi
}

# run RC ARGS...: run the tool, check its exit status.
run() {
	want=$1
	shift
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	[ $? = "$want" ]
}

# key NAME EXPECTED ("-" for absent)
key() {
	v=$(xs read "$be/5/0/$1" 2>/dev/null) || v=-
	[ "$v" = "$2" ]
}

run 1 set 5 0 10Mb/s && grep -q "no vif 5/0" "$tmp/err" &&
	! xs exists "$be/5/0" 2>/dev/null
ok "set on missing vif fails and creates nothing" $?
run 1 show 5 0 && grep -q "no vif 5/0" "$tmp/err"
ok "show on missing vif" $?
run 1 clear 5 0 && grep -q "no vif 5/0" "$tmp/err"
ok "clear on missing vif" $?

xs write "$be/5/0/state" 4
run 0 set 5 0 '10Mb/s@20ms&20Kpps' && key rate 25000,20000 &&
	key rate-packets 400,20000 &&
	grep -q "lacks feature-rate-packets" "$tmp/err"
ok "set both, warns without feature-rate-packets" $?
run 0 show 5 0 &&
	grep -q '^limit: *10Mb/s@20ms&20Kpps@20ms (packet limit not enforced: backend lacks feature-rate-packets)$' "$tmp/out" &&
	grep -q '^rate: *25000,20000$' "$tmp/out" &&
	grep -q '^rate-packets: 400,20000$' "$tmp/out" &&
	grep -q '^counters: *unavailable for vif5.0' "$tmp/out"
ok "show" $?
run 0 show 5 0 --json &&
	grep -q '"spec":"10Mb/s@20ms&20Kpps@20ms"' "$tmp/out" &&
	grep -q '"rate":{"raw":"25000,20000","bytes":25000,"usec":20000,"valid":true}' "$tmp/out" &&
	grep -q '"rate_packets":{"raw":"400,20000","packets":400,"usec":20000,"valid":true}' "$tmp/out" &&
	grep -q '"feature_rate_packets":false' "$tmp/out" &&
	grep -q '"counters":null' "$tmp/out"
ok "show --json" $?
run 0 show --json 5 0 &&
	grep -q '"backend":"/local/domain/0/backend/vif/5/0","backend_domid":0,' "$tmp/out"
ok "show --json 5 0: options anywhere" $?
run 0 show 5 0 --json &&
	grep -q '"feature_rate_packets":false,"packets_enforced":false,"limit_note":"packet limit not enforced: backend lacks feature-rate-packets",' "$tmp/out"
ok "show --json: the packet limit is not enforced without the feature" $?
# An invalid key: netback refuses it, no limit may be shown as in force.
xs write "$be/5/0/rate" "12, 5"
run 0 show 5 0 &&
	grep -q '^limit: *unknown: rate is invalid; netback refuses it: a running vif keeps its previous byte limit, and at connect nothing passes; backend lacks feature-rate-packets: rate-packets not enforced; a stock netback (no feature-rate-packets) lifts the byte limit for a rate it cannot parse$' "$tmp/out" &&
	! grep -q 'Kpps' "$tmp/out"
ok "show: an invalid rate on a backend without the feature" $?
# Below 1 ms a stock netback holds no byte limit: say so without the flag.
run 0 set 5 0 1Mb/s@500us && key rate 62,500 &&
	grep -q "lacks feature-rate-packets (stock netback?): it reads an interval below 1 ms as none and does not hold this byte limit (500 us)" "$tmp/err"
ok "set a sub-ms byte interval warns without feature-rate-packets" $?
run 0 show 5 0 &&
	grep -q '^limit: *1Mb/s@500us&20Kpps@20ms (packet limit not enforced: backend lacks feature-rate-packets; a stock netback (no feature-rate-packets) reads an interval below 1 ms as none and does not hold the byte limit)$' "$tmp/out"
ok "show: a sub-ms byte interval without the flag" $?
run 0 set 5 0 1Mb/s@1ms && ! grep -q "below 1 ms" "$tmp/err"
ok "set a 1 ms byte interval: no word on it" $?
xs write "$be/5/0/feature-rate-packets" 1
run 0 set 5 0 1Mb/s@500us && [ ! -s "$tmp/err" ]
ok "set a sub-ms byte interval with feature-rate-packets: no warning" $?
run 0 show 5 0 && grep -q '^limit: *1Mb/s@500us&20Kpps@20ms$' "$tmp/out"
ok "show: a sub-ms byte interval with the flag" $?
xs rm "$be/5/0/feature-rate-packets"
# A stock netback reads some values netback refuses: say what it does.
xs write "$be/5/0/rate" 0,20000
run 0 show 5 0 &&
	grep -q '^limit: *unknown: rate is invalid; netback refuses it: .*; a stock netback (no feature-rate-packets) reads 0 bytes per interval and passes nothing$' "$tmp/out" &&
	! grep -q 'lifts' "$tmp/out"
ok "show: rate=0,N, which a stock netback reads as passing nothing" $?
xs write "$be/5/0/rate" 18446744073709551617,0
run 0 show 5 0 --json &&
	grep -q '"limit_note":"rate is invalid; .*; a stock netback (no feature-rate-packets) reads 1 bytes per 0 us, an interval below 1 ms, as none and does not hold the byte limit"' "$tmp/out"
ok "show: numbers a stock netback wraps, as it reads them; 0 us holds nothing" $?
xs write "$be/5/0/feature-rate-packets" 1
run 0 show 5 0 && ! grep -q 'stock netback' "$tmp/out" &&
	grep -q '^limit: *unknown: rate is invalid; netback refuses it: a running vif keeps its previous byte limit, and at connect nothing passes$' "$tmp/out"
ok "show: no word on stock netback when the backend has the feature" $?
xs rm "$be/5/0/feature-rate-packets"
xs write "$be/5/0/rate" 25000,20000
xs write /local/domain/5/name guest5
xs write /local/domain/6/name guest6
run 0 show guest5 0 --json && grep -q '"domid":5,' "$tmp/out"
ok "a domain named by name" $?
run 1 show nosuch 0 && grep -q "no domain named 'nosuch'" "$tmp/err"
ok "an unknown domain name" $?
# libxl requires no more of a name than to be unique: any is matched.
long=$(printf '%070d' 0 | tr 0 x)
for d in 10 11 12; do xs write "$be/$d/0/state" 4; done
xs write /local/domain/10/name 'my guest'
xs write /local/domain/11/name "$long"
xs write /local/domain/12/name 'web/1'
run 0 show 'my guest' 0 --json && grep -q '"domid":10,' "$tmp/out"
ok "a domain name with a space" $?
run 0 show "$long" 0 --json && grep -q '"domid":11,' "$tmp/out"
ok "a domain name of 70 characters" $?
run 0 show web/1 0 --json && grep -q '"domid":12,' "$tmp/out"
ok "a domain name with a slash" $?
run 0 show 5 000 --json && grep -q '"domid":5,"devid":0,' "$tmp/out"
ok "a DEVID with leading zeros, read with atoi() by xl" $?
# A driver domain (xl's backend=): found from the frontend's backend key.
xs write /local/domain/7/backend/vif/5/1/state 4
xs write /local/domain/7/backend/vif/5/1/feature-rate-packets 1
xs write /local/domain/7/backend/vif/5/1/frontend-id 5
xs write /local/domain/7/backend/vif/5/1/frontend /local/domain/5/device/vif/1
xs write /local/domain/5/device/vif/1/backend /local/domain/7/backend/vif/5/1
run 0 set guest5 1 '20Kpps' &&
	[ "$(xs read /local/domain/7/backend/vif/5/1/rate-packets)" = 1000,50000 ] &&
	! xs exists "$be/5/1" 2>/dev/null && [ ! -s "$tmp/err" ]
ok "set on a vif whose backend is in a driver domain" $?
run 0 show 5 1 --json &&
	grep -q '"backend":"/local/domain/7/backend/vif/5/1","backend_domid":7,' "$tmp/out"
ok "show a driver-domain backend" $?
run 0 clear 5 1 && ! xs exists /local/domain/7/backend/vif/5/1/rate-packets 2>/dev/null
ok "clear a driver-domain backend" $?
# The guest owns its frontend keys: one pointing at another vif is ignored.
xs write "$be/6/0/state" 4
xs write /local/domain/5/device/vif/2/backend "$be/6/0"
run 1 set 5 2 10Mb/s && grep -q "no vif 5/2" "$tmp/err" &&
	! xs exists "$be/6/0/rate" 2>/dev/null
ok "a frontend backend key naming another vif is not followed" $?
# Nor one naming a missing directory: the guest would escape its limit.
xs write "$be/5/3/state" 4
xs write /local/domain/5/device/vif/3/backend /local/domain/9/backend/vif/5/3
run 0 set 5 3 10Mb/s && [ "$(xs read "$be/5/3/rate")" = 62500,50000 ] &&
	! xs exists /local/domain/9/backend/vif/5/3 2>/dev/null
ok "a frontend backend key naming a missing directory is not followed" $?
# Nor one naming a directory whose toolstack keys name another frontend.
fb=/local/domain/8/backend/vif/5/4
xs write "$be/5/4/state" 4
xs write "$fb/state" 4
xs write "$fb/frontend-id" 6
xs write "$fb/frontend" /local/domain/6/device/vif/0
xs write /local/domain/5/device/vif/4/backend "$fb"
run 0 set 5 4 10Mb/s && [ "$(xs read "$be/5/4/rate")" = 62500,50000 ] &&
	! xs exists "$fb/rate" 2>/dev/null
ok "a frontend backend key to a directory of another frontend-id" $?
xs write "$fb/frontend-id" 5
xs write "$fb/frontend" /local/domain/5/device/vif/9
run 0 show 5 4 --json &&
	grep -q "\"backend\":\"$be/5/4\",\"backend_domid\":0," "$tmp/out"
ok "a frontend backend key to a directory of another frontend" $?
run 0 set 5 0 1GB/s && key rate 50000000,50000 &&
	key rate-packets 400,20000 && [ ! -s "$tmp/err" ]
ok "set bytes only keeps rate-packets, no warning" $?
xs write "$be/5/0/feature-rate-packets" 1
run 0 set 5 0 '30Kpps:100@1ms' && key rate-packets 30,1000,100 &&
	key rate 50000000,50000 && [ ! -s "$tmp/err" ]
ok "set packets only keeps rate, no warning with feature" $?
run 0 show 5 0 && grep -q '^limit: *1GB/s@50ms&30Kpps:100@1ms$' "$tmp/out" &&
	grep -q '^feature-rate-packets: 1$' "$tmp/out"
ok "show mixed intervals and burst" $?
run 0 clear 5 0 packets && key rate-packets - && key rate 50000000,50000
ok "clear packets" $?
run 0 clear 5 0 bytes && key rate - && key state 4
ok "clear bytes leaves other keys" $?
run 0 clear 5 0
ok "clear when nothing is set" $?
run 0 set 5 0 '10Mb/s&20Kpps' && run 0 clear 5 0 all && key rate - &&
	key rate-packets -
ok "clear all" $?
run 0 show 5 0 && grep -q '^limit: *none' "$tmp/out"
ok "show without limits" $?
xs write "$be/5/0/rate" "12, 5"
run 0 show 5 0 && grep -q '^rate: *12, 5 (invalid)$' "$tmp/out"
ok "show flags an invalid raw value" $?
xs write "$be/5/0/rate" "1,3000000"
run 0 show 5 0 && grep -q 'no exact xl syntax' "$tmp/out"
ok "show a value xl syntax cannot express" $?
run 2 set 5 0 '10Mb/s&1pps@1ms' && key rate 1,3000000
ok "invalid spec writes nothing" $?
run 2 set 5 0 '1B/s@1ms' && key rate 1,3000000
ok "a byte rate of 0 per interval writes nothing" $?
run 0 show 005 0 --json && grep -q '"domid":5,' "$tmp/out"
ok "a DOMID with leading zeros is a number, as for xl" $?
xs write "$be/5/0/rate" "0,1000"
run 0 show 5 0 && grep -q '^rate: *0,1000 (invalid)$' "$tmp/out"
ok "show flags a zero byte rate, which netback refuses" $?
xs write "$be/5/0/rate-packets" "5000000000,1000,6000000000"
run 0 show 5 0 --json &&
	grep -q '"packets":5000000000,"usec":1000,"burst":6000000000,"valid":true' \
		"$tmp/out"
ok "show a packet limit above 32 bits, which netback accepts" $?
# netback refuses an invalid key: the valid one alone is not the limit.
xs write "$be/5/0/rate" 0,50000
xs write "$be/5/0/rate-packets" 1000,50000
run 0 show 5 0 &&
	grep -q '^limit: *unknown: rate is invalid; netback refuses it: a running vif keeps its previous byte limit, and at connect nothing passes$' "$tmp/out" &&
	! grep -q 'Kpps' "$tmp/out"
ok "show: an invalid rate and a valid rate-packets is no known limit" $?
run 0 show 5 0 --json && grep -q '"spec":null,' "$tmp/out" &&
	grep -q '"packets_enforced":true,"limit_note":"rate is invalid; netback refuses it: ' "$tmp/out"
ok "show --json: spec null with an invalid rate" $?
xs write "$be/5/0/rate" 25000,20000
xs write "$be/5/0/rate-packets" 20Kpps
run 0 show 5 0 &&
	grep -q '^limit: *unknown: rate-packets is invalid; netback refuses it: a running vif keeps its previous packet limit, and at connect nothing passes$' "$tmp/out" &&
	! grep -q 'Mb/s' "$tmp/out"
ok "show: a valid rate and an invalid rate-packets is no known limit" $?
xs write "$be/5/0/rate" 1,2,3
run 0 show 5 0 &&
	grep -q '^limit: *unknown: rate and rate-packets are invalid; netback refuses them: a running vif keeps its previous limits, and at connect nothing passes$' "$tmp/out"
ok "show: both keys invalid" $?
run 0 set 5 0 10Mb/s && key rate 62500,50000 && key rate-packets 20Kpps &&
	grep -q '^xen-vif-rate: warning: rate-packets of vif 5/0 left invalid ("20Kpps"): netback refuses it, a running vif keeps its previous packet limit' "$tmp/err"
ok "set of the byte limit warns of an invalid rate-packets left" $?
xs write "$be/5/0/rate" 0,50000
run 0 clear 5 0 packets && key rate-packets - && key rate 0,50000 &&
	grep -q '^xen-vif-rate: warning: rate of vif 5/0 left invalid ("0,50000"): netback refuses it, a running vif keeps its previous byte limit' "$tmp/err"
ok "clear of the packet limit warns of an invalid rate left" $?
# Xl's vifname=: the hotplug script renames the netdev to it.
xs write "$be/5/0/vifname" web0
r=1
if run 0 show 5 0 &&
   grep -q '^counters: *unavailable for web0: no netdev$' "$tmp/out" &&
   run 0 show 5 0 --json && grep -q '"netdev":"web0",' "$tmp/out"; then
	r=0
	for n in "" "web 0" a/b a:b . .. sixteen-chars-ab "$(printf 'a\tb')"; do
		xs write "$be/5/0/vifname" "$n" && run 0 show 5 0 &&
			grep -q '^counters: *unavailable for vif5.0: no netdev$' \
				"$tmp/out" || { r=1; echo "  (vifname '$n')"; break; }
	done
fi
ok "show reads the counters of a valid vifname, else of vifD.N" $r
xs rm "$be/5/0/vifname"
xs rm "$be/5/0/rate-packets"
xs write "$be/5/0/rate" "1,3000000"
# A netdev named like the vif but without netback's counters (a veth):
# exercises the SIOCETHTOOL path; skipped where netdevs cannot be made.
if ip link add vif5.0 type veth peer name vif5.0p 2>/dev/null; then
	run 0 show 5 0 &&
		grep -q '^counters: *unavailable for vif5.0: no throttle counters' \
			"$tmp/out"
	ok "show on a netdev without throttle counters" $?
	ip link del vif5.0
	if ip link add web0 type veth peer name web0p 2>/dev/null; then
		xs write "$be/5/0/vifname" web0
		run 0 show 5 0 &&
			grep -q '^counters: *unavailable for web0: no throttle counters' \
				"$tmp/out"
		ok "show on a netdev renamed by vifname" $?
		ip link del web0
		xs rm "$be/5/0/vifname"
	fi
fi
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$bin" show 5 0 >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] && grep -q "Permission denied" "$tmp/err"
	ok "no permission on the xenstore socket" $?
fi

kill "$pid"
wait "$pid" 2>/dev/null
pid=
run 1 show 5 0 && grep -q "cannot connect to xenstore" "$tmp/err"
ok "xenstored gone" $?

echo "xenstore: $pass passed, $fail failed"
[ "$fail" = 0 ]
