# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 5. rate = 1Mb/s@500us: xl writes 62 bytes per 500 us, i.e. 124000 B/s,
# 2067 pps of 60-byte frames.  Stock turns the sub-ms interval into a
# zero-jiffy window and ignores the limit (shown as INFO).
s5_sub_ms_interval() {
	set_limit "$G_DOMID" 0 1Mb/s@500us
	if [ "$CUR_MOD" = stock ]; then
		info_result s5-sub-ms "bytes-500us" 1Mb/s@500us "stock ignores a sub-ms interval"
	else
		tol_result s5-sub-ms "bytes-500us" 1Mb/s@500us
	fi
	clear_limit "$G_DOMID" 0 all
}
