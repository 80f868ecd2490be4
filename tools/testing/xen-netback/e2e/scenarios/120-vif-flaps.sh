# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 12. 20 flaps of the vif in dom0 (ip link set down; up) while the guest
# floods under a packet limit: afterwards the vif is up, the limit still
# holds (tol_result: traffic flows at the rate, not above it) and dom0's log
# is clean.  Runs on the current (pktgen) guest.
S12_FLAPS=20
s12_vif_flaps() {
	spec=2Kpps
	revive_check
	set_limit "$G_DOMID" 0 "$spec"
	sleep 1
	n=0 bad=0
	while [ $n -lt "$S12_FLAPS" ]; do
		ip link set "$G_VIF" down || bad=$((bad + 1))
		sleep 0.2
		ip link set "$G_VIF" up || bad=$((bad + 1))
		sleep 0.3
		n=$((n + 1))
	done
	st=$(cat "/sys/class/net/$G_VIF/operstate" 2>/dev/null)
	check s12-flaps vif-up "$([ "$bad" -eq 0 ] && [ "$st" = up ]; echo $?)" \
		"$S12_FLAPS flaps, $bad ip link errors, operstate ${st:-gone}"
	# shellcheck disable=SC2034 # read by tol_result
	STEADY=3 DISCARD=1
	tol_result s12-flaps limit-holds "$spec" "after $S12_FLAPS vif flaps"
	# shellcheck disable=SC2034
	STEADY=$E2E_STEADY DISCARD=$E2E_DISCARD
	check_dmesg s12-flaps
	clear_limit "$G_DOMID" 0 all
}
