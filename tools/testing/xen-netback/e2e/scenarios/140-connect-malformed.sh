# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 14. A malformed rate-packets value at connect: written while the guest is
# paused (xl create -p), before netfront connects.  No limit is in force
# yet, so the credit stays closed: nothing passes (rx_packets stays ~0 over
# 4 s of a flood) until a valid value is written, and then that limit holds.
# Creates the GSO guest (MODE, default gso) that scenario 11 goes on with;
# the valid limit is judged on wire segments (tap_measure): traffic passes
# and stays under burst + rate x T (+3%).  No lower bar: the flood's frames
# carry up to 8186 segments each, which a limiter may charge as debt, so
# 15 s can legitimately hold fewer than rate x T.
S14_BAD=abc
s14_hook() {
	xenstore-write "$(backend "$G_DOMID" 0)/rate-packets" "$S14_BAD"
}

s14_connect_malformed() {
	mode=${1:-gso}
	destroy_guest || result s14-connect-malformed destroy-before - - - FAIL "vif left behind"
	# shellcheck disable=SC2034 # read by create_guest
	CREATE_HOOK=s14_hook CREATE_NOWAIT=1
	if ! create_guest cm 1 "" "$mode"; then
		result s14-connect-malformed create - - - FAIL "guest did not connect"
		return 1
	fi
	# Wait until the guest sends (its console says so), then 4 s more.
	i=0
	until grep -aq 'e2e-gso: sending\|e2e-guest: flooding' /var/log/xen/console/guest-cm.log 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 120 ] && break; sleep 1
	done
	sleep 1
	p0=$(rx_packets "$G_VIF") t0=$(uptime_cs)
	sleep 4
	p1=$(rx_packets "$G_VIF") t1=$(uptime_cs)
	show_limit "$G_DOMID" 0
	sending=$(grep -a 'e2e-gso: frames' /var/log/xen/console/guest-cm.log 2>/dev/null | tail -n 1)
	check s14-connect-malformed closed-until-valid "$([ "$p0" -ge 0 ] && [ $((p1 - p0)) -le 2 ]; echo $?)" \
		"rate-packets=$S14_BAD at connect: rx_packets +$((p1 - p0)) in $((t1 - t0))cs (total $p1) while the guest sends (${sending:-no sender line yet}); at most 2"
	set_limit "$G_DOMID" 0 2Kpps
	sleep 2
	tap_measure "$G_VIF" 3 5000
	# The GSO guest's frames cost up to thousands of segments and go at
	# once when their whole cost has accrued, part of it before the
	# windows: the upper bar is burst + rate x T + one largest frame, as in
	# scenario 11.  Only the upper bar is judged.
	bar=$(calc "(100 + 2000 * $TAP_CS / 100 + $TAP_MAXSEGS) * (1 + $E2E_TOL_PCT / 100)" 0)
	ratio=$(calc "$TAP_SEGS / $bar" 3)
	v=PASS why="$TAP_SEGS segments <= bar $bar (burst 100 + 2000 pps x T + largest frame $TAP_MAXSEGS, +$E2E_TOL_PCT%; lower bar not judged; $TAP_ZRUN empty 5 s windows in a row, a stall at 2)"
	[ "$TAP_SEGS" -le "$bar" ] || v=FAIL why="$TAP_SEGS segments > bar $bar (burst 100 + 2000 pps x T + largest frame $TAP_MAXSEGS, +$E2E_TOL_PCT%)"
	[ "$TAP_SEGS" -gt 0 ] || v=FAIL why="nothing passed after the valid value; $why"
	# A frame costs at most 8187 wire packets, 4.1 s at 2000 pps: two
	# empty 5 s windows in a row are a stall, not a large frame.
	[ "$TAP_ZRUN" -lt 2 ] || v=FAIL why="stalled: $TAP_ZRUN windows of 5 s in a row moved nothing; $why"
	[ "$TAP_DROPS" -eq 0 ] || v=FAIL
	result s14-connect-malformed valid-limit-holds 2000.0 \
		"$(calc "$TAP_SEGS * 100 / $TAP_CS")" "$ratio" "$v" \
		"2Kpps written after $S14_BAD, wire segments; $why; $TAP_SKBS skbs ($TAP_GSO GSO, max $TAP_MAXSEGS segs/skb); segs/s:$TAP_WINS; tap drops $TAP_DROPS"
	return 0
}
