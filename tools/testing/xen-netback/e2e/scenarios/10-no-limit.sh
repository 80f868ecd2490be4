# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 1. No limit: the flood passes.  Needs a running guest without limits.
# Stock runs first in the same boot; ours is shown beside it.
S1_STOCK=
s1_no_limit() {
	clear_limit "$G_DOMID" 0 all
	if [ "$CUR_MOD" = stock ]; then
		unlimited_result s1-no-limit flood-passes
		S1_STOCK=$MEAN
	else
		UNLIMITED_FLOOR=$(calc "${S1_STOCK:-0} / 2" 0) \
			unlimited_result s1-no-limit flood-passes \
			"flood passes (>= $UNLIMITED_MIN pps); stock in this boot: ${S1_STOCK:-not run} pps"
	fi
}
