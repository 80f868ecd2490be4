# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 17. A guest that floods and reconnects its frontend over and over
# (guest/init's e2e_mode=reconnect: S17_PERIOD_MS of pktgen, which then
# stops, and netfront unbound and bound again) under a slow rate with a
# large burst.  netback keeps a vif's buckets across a reconnection,
# debt included: over the windows the
# guest passes at most burst + rate x T (+E2E_TOL_PCT%), however often it
# reconnects.  A backend that built full buckets at each connect would let
# one more burst go per reconnection: one reconnection in the windows is
# enough to break the bar, and S17_MIN_RECONNECTS are asked for.  Counted
# on a tap on the vif: the vif's rx_packets restart with each connection.
# The lower bar is half of rate x T (the bucket refills while the frontend
# is away, so the guest loses nothing but what a reconnection drops from
# its ring); a run with fewer than S17_MIN_RECONNECTS reconnections during the
# windows proves nothing and fails.  Leaves no guest.
S17_SPEC=100pps:5000@1s
S17_PERIOD_MS=1000
S17_MIN_RECONNECTS=3
s17_reconnect() {
	destroy_guest || result s17-reconnect destroy-before - - - FAIL "vif left behind"
	# shellcheck disable=SC2034 # read by create_guest
	E2E_GUEST_ARGS="e2e_period_ms=$S17_PERIOD_MS" CREATE_NOWAIT=1
	if ! create_guest rc 1 "$S17_SPEC" reconnect; then
		result s17-reconnect create - - - FAIL "reconnecting guest did not connect"
		# shellcheck disable=SC2034
		E2E_GUEST_ARGS=
		return 1
	fi
	# shellcheck disable=SC2034
	E2E_GUEST_ARGS=
	# The first burst goes; the guest reconnects a few times.
	sleep 5
	con=/var/log/xen/console/guest-$G_NAME.log
	n0=$(grep -a -c 'e2e-guest: reconnect' "$con")
	tap_measure "$G_VIF" 3 5000
	n1=$(grep -a -c 'e2e-guest: reconnect' "$con")
	# Rounds that started pktgen, and its complaints, in the console log.
	floods=$(grep -a -c 'e2e-guest: flooding' "$con")
	pgerr=$(grep -a -c 'e2e-guest: pktgen .* failed' "$con")
	show_limit "$G_DOMID" 0
	spec_parse "$S17_SPEC"
	want=$(calc "$SP_PKTS * $TAP_CS / 100" 0)
	bar=$(calc "($SP_BURST + $want) * (1 + $E2E_TOL_PCT / 100)" 0)
	low=$(calc "$want / 2" 0)
	ratio=$(calc "$TAP_SEGS / $want" 3)
	v=PASS why="$TAP_SEGS packets in [$low, $bar] (half of rate x T; burst $SP_BURST + rate x T, +$E2E_TOL_PCT%)"
	if [ "$TAP_SEGS" -gt "$bar" ]; then
		v=FAIL why="$TAP_SEGS packets > bar $bar (burst $SP_BURST + rate x T, +$E2E_TOL_PCT%): reconnecting lifted the limit"
	elif [ "$TAP_SEGS" -lt "$low" ]; then
		v=FAIL why="$TAP_SEGS packets < $low (half of rate x T): reconnections starved the guest"
	fi
	if [ $((n1 - n0)) -lt "$S17_MIN_RECONNECTS" ]; then
		v=FAIL why="only $((n1 - n0)) reconnections in the windows (want >= $S17_MIN_RECONNECTS): nothing shown; $why"
	fi
	[ "$TAP_DROPS" -eq 0 ] || v=FAIL why="tap dropped $TAP_DROPS; $why"
	result s17-reconnect limit-holds "$SP_PKTS.0" \
		"$(calc "$TAP_SEGS * 100 / $TAP_CS")" "$ratio" "$v" \
		"$S17_SPEC, frontend reconnected $((n1 - n0)) times in ${TAP_CS}cs (every ${S17_PERIOD_MS} ms of flood); $why; per 5 s:$TAP_WINS; guest: $floods floods started, $pgerr pktgen errors in its console log"
	# What the guest did, for a failure's reader.
	[ "$v" = PASS ] || tail -n 40 "$con" | sed 's/^/e2e: guest rc: /'
	check_dmesg s17-reconnect
	destroy_guest || result s17-reconnect destroy - - - FAIL "vif left behind"
}
