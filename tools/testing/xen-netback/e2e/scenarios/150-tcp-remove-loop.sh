# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 15. The sequence that once crashed dom0, S15_ROUNDS times on a 2-queue
# bulk TCP guest: rate-packets=100,20000 (5000 pps, burst 100) for 5 s
# (shown, not judged: scenario 10 judges TCP under a packet limit), then
# xenstore-rm rate-packets: traffic must flow again within 10 s and move
# bytes in the 5 s after; then the key is set again (the next round).
# dom0 must not crash (the host sees a crash on the serial console) and its
# log stays clean.  E2E_S15_ROUNDS (3) rounds; plans/tcp-rm-loop runs it
# long (E2E_S15_ROUNDS=40 E2E_PLAN=.../plans/tcp-rm-loop E2E_EXPECTED=none).
S15_ROUNDS=${E2E_S15_ROUNDS:-3}
s15_tcp_remove_loop() {
	if [ "${G_MODE:-}" != tcp ]; then
		result s15-tcp-rm-loop guest - - - FAIL "no TCP guest"
		return 0
	fi
	bp=$(backend "$G_DOMID" 0)
	clear_limit "$G_DOMID" 0 all
	n=1
	while [ $n -le "$S15_ROUNDS" ]; do
		revive_check
		bp=$(backend "$G_DOMID" 0)
		xenstore-write "$bp/rate-packets" 100,20000
		sleep 1
		tap_measure "$G_VIF" 1 5000
		result s15-tcp-rm-loop "round-$n-limited" 5000.0 "$(calc "$TAP_SEGS * 100 / $TAP_CS")" \
			"$(calc "$TAP_SEGS * 100 / $TAP_CS / 5000" 3)" INFO \
			"rate-packets=100,20000, wire segments in 5 s; $TAP_SKBS skbs, $TAP_BYTES B"
		xenstore-rm "$bp/rate-packets"
		t0=$(uptime_cs) i=0
		b0=$(cat "/sys/class/net/$G_VIF/statistics/rx_bytes" 2>/dev/null || echo 0)
		while [ $i -lt 50 ]; do
			sleep 0.2
			b1=$(cat "/sys/class/net/$G_VIF/statistics/rx_bytes" 2>/dev/null || echo 0)
			[ $((b1 - b0)) -gt 100000 ] && break
			i=$((i + 1))
		done
		resume=$(($(uptime_cs) - t0))
		tap_measure "$G_VIF" 1 5000
		if [ "$TAP_BYTES" -le 1000000 ] && [ -z "${s15_again:-}" ]; then
			# A guest whose kernel broke: a new guest, this round again.
			revive_check
			if [ -n "$REV_NOTE" ]; then
				s15_again=$REV_NOTE
				log "s15 round $n again$REV_NOTE"
				continue
			fi
		fi
		check s15-tcp-rm-loop "round-$n-flows-after-rm" "$([ "$TAP_BYTES" -gt 1000000 ]; echo $?)" \
			"after xenstore-rm: 100 KB passed $((resume * 10)) ms later (waits at most 10 s), then $TAP_BYTES B in 5 s (at least 1 MB${S10_CEIL_BYTES:+; unlimited this guest made $S10_CEIL_BYTES B/s})${s15_again:+; round run again}${s15_again:-}"
		s15_again=
		n=$((n + 1))
	done
	xenstore-write "$bp/rate-packets" 100,20000
	sleep 1
	clear_limit "$G_DOMID" 0 all
	check_dmesg s15-tcp-rm-loop
}
