# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 7. Malformed values written at run time: the limit in force stays, dom0's
# log names the vif, the key and the value, and xenbus_dev_error leaves
# /local/domain/0/error/backend/vif/D/0/error.  Written with xenstore-write
# on purpose: the toolstack command would refuse them.
malformed_one() {
	key=$1 bad=$2
	errnode=/local/domain/0/error/backend/vif/$G_DOMID/0/error
	xenstore-rm "$errnode" 2>/dev/null
	dmesg_new >/dev/null
	xenstore-write "$(backend "$G_DOMID" 0)/$key" "$bad"
	sleep 1
	warn=$(dmesg_new | grep -F "$G_VIF" | grep -F "$key" | grep -F -- "$bad" | head -n 1)
	[ -n "$warn" ] || warn="no warning naming $G_VIF, $key and \"$bad\""
	check s7-malformed "$key=$bad-warning" "$(echo "$warn" | grep -qv '^no warning'; echo $?)" "$warn"
	err=$(xenstore-read "$errnode" 2>/dev/null)
	check s7-malformed "$key=$bad-error-node" "$([ -n "$err" ]; echo $?)" "${err:-no $errnode}"
}

s7_malformed() {
	set_limit "$G_DOMID" 0 2Kpps
	for bad in abc 0,1000 5,0 '10,'; do
		malformed_one rate-packets "$bad"
	done
	tol_result s7-malformed packets-limit-kept 2Kpps "after 4 malformed rate-packets values"
	set_limit "$G_DOMID" 0 1Mb/s
	malformed_one rate abc
	tol_result s7-malformed bytes-limit-kept 1Mb/s "after rate=abc"
	clear_limit "$G_DOMID" 0 all
}
