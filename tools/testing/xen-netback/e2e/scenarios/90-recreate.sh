# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 9. Destroy the guest while it is throttled and create it again,
# E2E_RECREATE times: no splat, no leaked vif, the limit (set at creation,
# read at connect) holds after each.
s9_recreate() {
	spec=2Kpps
	destroy_guest || result s9-recreate destroy-before - - - FAIL "vif left behind"
	n=1 leaks=0 failed=0
	while [ $n -le "$E2E_RECREATE" ]; do
		if ! create_guest "rc$n" 1 "$spec"; then
			result s9-recreate "round-$n" - - - FAIL "guest did not flood"
			failed=$((failed + 1))
		else
			STEADY=3 DISCARD=1 tol_result s9-recreate "round-$n" "$spec" "set at creation"
		fi
		destroy_guest || leaks=$((leaks + 1))
		no_vifs || leaks=$((leaks + 1))
		n=$((n + 1))
	done
	check s9-recreate no-leaked-vif "$leaks" "netdevs: $(echo /sys/class/net/* | sed 's,/sys/class/net/,,g')"
	check_dmesg s9-recreate
}
