# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 18. Limit changes while TCP is throttled: a TCP guest under 5Kpps
# (rate-packets=250,50000) while dom0 rewrites "rate" every 100 ms between
# two values that never bind (1 Gbit/s and 1 byte/s more).  Each write
# replaces the vif's limit; the packet bucket is carried over, debt
# included.  Wire segments must stay in the 5 Kpps band,
# as without the writes, and no window may move nothing.  netback once
# dropped what a throttled queue had paid for its head skb at each change
# and charged the skb again: about one skb (~40 segments) per change and
# throttled queue lost (KUnit: 6435 wire packets in 10 s instead of
# 10000 with a change every 100 ms, 990 every 40 ms).  The measurement
# lasts as long as 50 writes take (3 to 12 windows of 5 s): how fast dom0
# writes is the machine's business (42 to 82 in 15 s so far), not a
# verdict.  Only a writer that has not done 50 in 12 windows (1.2 s a
# write) fails: xenstore or its watch stuck.
s18_limit_churn() {
	tag=$1
	if [ "${G_MODE:-}" != tcp ]; then
		result s18-limit-churn "$tag-churn" - - - FAIL "no TCP guest"
		return 0
	fi
	revive_check
	rev=$REV_NOTE
	clear_limit "$G_DOMID" 0 all
	set_limit "$G_DOMID" 0 5Kpps
	bp=$(backend "$G_DOMID" 0)
	xenstore-write "$bp/rate" 125000000,1000000
	sleep 2
	rm -f /tmp/s18.writes
	touch /tmp/s18.run
	(
		i=0
		while [ -e /tmp/s18.run ] && [ "$i" -lt 50 ]; do
			xenstore-write "$bp/rate" "12500000$((i & 1)),1000000"
			i=$((i + 1))
			sleep 0.1
		done
		echo "$i" >/tmp/s18.writes
		rm -f /tmp/s18.run
	) &
	churn=$!
	tap_measure "$G_VIF" 3 "$S10_WIN_MS" /tmp/s18.run 12
	rm -f /tmp/s18.run
	wait "$churn"
	writes=$(cat /tmp/s18.writes 2>/dev/null || echo 0)
	check s18-limit-churn "$tag-writes" "$([ "$writes" -ge 50 ]; echo $?)" \
		"$writes writes of rate (50 wanted) in $TAP_N windows of ${S10_WIN_MS} ms"
	s10_judge 5Kpps
	[ "$v" = LOW ] && v=FAIL
	if [ "$TAP_ZERO" -ne 0 ] || [ "$TAP_BYTES" -eq 0 ]; then
		v=FAIL
	fi
	[ "$TAP_DROPS" -eq 0 ] || v=FAIL
	# shellcheck disable=SC2154 # ratio, why: set by s10_judge
	result s18-limit-churn "$tag-5Kpps-churn" 5000.0 \
		"$(calc "$TAP_SEGS * 100 / $TAP_CS")" "$ratio" "$v" \
		"5Kpps with rate rewritten $writes times, wire segments; $why; $TAP_ZERO windows moved nothing; segs/s:$TAP_WINS; $TAP_SKBS skbs$rev"
	clear_limit "$G_DOMID" 0 all
	check_dmesg s18-limit-churn
}
