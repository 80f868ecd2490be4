# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 6. Change under flood: 5000 -> 1000 -> none -> 2000 pps; each holds within
# 2 s: only the first window after the change is discarded.
s6_change_under_flood() {
	for spec in 5Kpps 1Kpps none 2Kpps; do
		if [ "$spec" = none ]; then
			clear_limit "$G_DOMID" 0 all
			# 1.5 x the 1000 pps just removed
			UNLIMITED_FLOOR=1500 DISCARD=1 \
				unlimited_result s6-change "to-none" "limit cleared under flood"
		else
			set_limit "$G_DOMID" 0 "$spec"
			DISCARD=1 tol_result s6-change "to-$(spec_pps "$spec")" "$spec" "first 2 s window discarded"
		fi
	done
}
