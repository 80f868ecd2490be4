# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 2. rate-packets at 1000 and 5000 pps: steady mean within +-3%.
# Set at run time on the running guest (connect-time reads are covered by
# scenarios 4 and 9).  The interval is the toolstack's default (50 ms), the
# burst the backend's default (one interval's worth).
s2_packet_rate() {
	for spec in 1Kpps 5Kpps; do
		set_limit "$G_DOMID" 0 "$spec"
		tol_result s2-packet-rate "pps-$(spec_pps "$spec")" "$spec"
	done
	# Diagnostic, not a check: a 20 ms interval with its default burst (40
	# packets) loses credit whenever dom0 wakes netback more than ~15 ms
	# late, as it does under emulation on a busy host.
	set_limit "$G_DOMID" 0 2Kpps@20ms
	info_result s2-packet-rate "pps-2000-20ms" 2Kpps@20ms "20 ms interval, default burst"
	log "$G_VIF stats: $(vif_stats "$G_VIF")"
	clear_limit "$G_DOMID" 0 all
}
