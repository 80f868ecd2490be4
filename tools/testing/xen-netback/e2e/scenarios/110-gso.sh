# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 11. Crafted GSO frames (guest/gso-send.c: gso_size 1-65535, frames up to
# 64 KiB from many iovecs, and odd shapes) under rate-packets 1000 pps with
# a burst of 100.  The wire packets dom0 receives, counted per skb by the
# tap from the skb's gso_size (ceil(payload / gso_size)), stay within
# burst + rate x T + one largest frame (+3%) over the windows and in every
# 5 s window; dom0's log stays clean.  The one frame: a frame costs up to
# thousands of segments and goes at once when its whole cost has accrued,
# part of which may lie before the window (the netif.h promise, burst +
# rate x t, is counted from a full bucket, not from any window).  Only the
# upper bar is judged: frames of thousands of segments make 15 s of a
# correct limiter fall short of rate x T.  A stall fails it: the guest
# offers far more than the limit and no frame costs more than 8187 wire
# packets (64 KiB at the guest kernel's smallest gso_size, 8), 8.2 s at
# 1000 pps, so two 5 s windows in a row with nothing, or no segment at
# all, mean netback stopped.  Needs the GSO guest that scenario 14
# created.
s11_gso() {
	spec=1Kpps:100
	if [ "${G_MODE:-}" != gso ]; then
		result s11-gso guest - - - FAIL "no GSO guest (scenario 14 did not create it)"
		return 0
	fi
	set_limit "$G_DOMID" 0 "$spec"
	sleep 2
	tap_measure "$G_VIF" 3 5000
	check s11-gso gso-skbs-seen "$([ "$TAP_GSO" -gt 0 ] && [ "$TAP_MAXSEGS" -gt 1 ]; echo $?)" \
		"$TAP_GSO GSO skbs of $TAP_SKBS, max $TAP_MAXSEGS segs/skb"
	# Over the windows: at most burst + rate x T + one largest frame, + 3%.
	bar=$(calc "(100 + 1000 * $TAP_CS / 100 + $TAP_MAXSEGS) * (1 + $E2E_TOL_PCT / 100)" 0)
	v=PASS why="$TAP_SEGS segments <= bar $bar (burst 100 + 1000 pps x T + largest frame $TAP_MAXSEGS, +$E2E_TOL_PCT%; lower bar not judged; $TAP_ZRUN empty 5 s windows in a row, a stall at 2)"
	[ "$TAP_SEGS" -le "$bar" ] || v=FAIL why="$TAP_SEGS segments > bar $bar (burst 100 + 1000 pps x T + largest frame $TAP_MAXSEGS, +$E2E_TOL_PCT%)"
	[ "$TAP_DROPS" -eq 0 ] || { v=FAIL why="$why; the tap lost $TAP_DROPS skbs"; }
	if [ "$TAP_SEGS" -eq 0 ] || [ "$TAP_ZRUN" -ge 2 ]; then
		v=FAIL why="$why; stalled: $TAP_ZRUN windows of 5 s in a row moved nothing (a frame waits 8.2 s at most)"
	fi
	result s11-gso segs-1000pps 1000.0 "$(calc "$TAP_SEGS * 100 / $TAP_CS")" "$(calc "$TAP_SEGS / $bar" 3)" "$v" \
		"$spec, wire segments; $why; $TAP_SKBS skbs, $TAP_BYTES B; segs/s:$TAP_WINS"
	# Every window: at most burst + rate x 5 s + one largest frame, + 3%.
	top=$(calc "(100 + 1000 * 5 + $TAP_MAXSEGS) * (1 + $E2E_TOL_PCT / 100)" 0)
	check s11-gso segs-every-window "$([ "$TAP_MAXWIN" -le "$top" ]; echo $?)" \
		"fullest 5 s window $TAP_MAXWIN segments, bar $top (burst 100 + 1000 x 5 s + largest frame $TAP_MAXSEGS, +$E2E_TOL_PCT%)"
	sent=$(grep -a 'e2e-gso: frames' "/var/log/xen/console/guest-$G_NAME.log" 2>/dev/null | tail -n 1)
	result s11-gso guest-sent - - - INFO "${sent:-no e2e-gso line on the guest console}"
	clear_limit "$G_DOMID" 0 all
	check_dmesg s11-gso
}
