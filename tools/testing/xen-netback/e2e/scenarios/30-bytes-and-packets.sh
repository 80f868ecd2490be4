# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 3. A byte limit and a packet limit together: the lower one rules, each
# way round.  1Mb/s = 2083 pps of 60-byte frames.
s3_bytes_and_packets() {
	set_limit "$G_DOMID" 0 "1Mb/s&5Kpps"
	tol_result s3-both bytes-rule "1Mb/s&5Kpps"
	set_limit "$G_DOMID" 0 "1Mb/s&1Kpps"
	tol_result s3-both packets-rule "1Mb/s&1Kpps"
	clear_limit "$G_DOMID" 0 all
}
