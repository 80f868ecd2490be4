# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 2. rate-packets at 1000 and 5000 pps: within the bucket's bounds (spec_bound).
# Set at run time on the running guest (connect-time reads are covered by
# scenarios 4 and 9).  The interval is the toolstack's default (50 ms), the
# burst the backend's default (one interval's worth).
s2_packet_rate() {
	for spec in 1Kpps 5Kpps; do
		set_limit "$G_DOMID" 0 "$spec"
		tol_result s2-packet-rate "pps-$(spec_pps "$spec")" "$spec"
	done
	s2_show
	# Diagnostic, not a check: a 20 ms interval with its default burst (40
	# packets) loses credit whenever dom0 wakes netback more than ~15 ms
	# late, as it does under emulation on a busy host.
	set_limit "$G_DOMID" 0 2Kpps@20ms
	info_result s2-packet-rate "pps-2000-20ms" 2Kpps@20ms "20 ms interval, default burst"
	log "$G_VIF stats: $(vif_stats "$G_VIF")"
	clear_limit "$G_DOMID" 0 all
}

# The toolstack reads back the live limit and netback's counters: show's
# throttle count lies between two ethtool readings taken around it.
s2_show() {
	[ -x /usr/bin/xen-vif-rate ] || return 0
	e0=$(vif_stat "$G_VIF" tx_credit_throttle_events)
	out=$(xen-vif-rate show "$G_DOMID" 0 --json 2>&1)
	e1=$(vif_stat "$G_VIF" tx_credit_throttle_events)
	v=$(echo "$out" | sed -n 's/.*"tx_credit_throttle_events":\([0-9]*\).*/\1/p')
	ok=1
	case $out in
	*'"spec":"5Kpps'*'"feature_rate_packets":true'*)
		[ -n "$v" ] && [ -n "$e0" ] && [ "$v" -gt 0 ] &&
			[ "$v" -ge "$e0" ] && [ "$v" -le "$e1" ] && ok=0 ;;
	esac
	check s2-packet-rate show-live-vif "$ok" \
		"throttle events: ethtool $e0, show $v, ethtool $e1; $(echo "$out" | cut -c1-160)"
}
