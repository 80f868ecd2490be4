# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 8. feature-rate-packets: "1" from our backend, absent with stock.
s8_feature() {
	f=$(xenstore-read "$(backend "$G_DOMID" 0)/feature-rate-packets" 2>/dev/null || echo absent)
	if [ "$CUR_MOD" = stock ]; then
		check s8-feature absent "$([ "$f" = absent ]; echo $?)" "feature-rate-packets=$f"
	else
		check s8-feature advertised "$([ "$f" = 1 ]; echo $?)" "feature-rate-packets=$f"
	fi
}
