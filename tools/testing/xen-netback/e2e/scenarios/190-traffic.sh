# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Scenarios 10, 11, 14, 15 and 18 in one sequence of guests (a guest's mode is
# fixed at creation): a 1-vCPU TCP guest, a 2-vCPU TCP guest (2 queues),
# then the GSO guest created with a malformed rate-packets.  Leaves no guest.
traffic_scenarios() {
	destroy_guest || result traffic destroy-before - - - FAIL "vif left behind"
	if create_guest tcp1 1 "" tcp; then
		s10_tcp_bulk 1q
	else
		result s10-tcp create-1q - - - FAIL "1-vCPU TCP guest did not send"
	fi
	destroy_guest || result s10-tcp destroy-1q - - - FAIL "vif left behind"
	if create_guest tcp2 2 "" tcp; then
		s10_tcp_bulk 2q
		s15_tcp_remove_loop
		s18_limit_churn 2q
	else
		result s10-tcp create-2q - - - FAIL "2-vCPU TCP guest did not send"
	fi
	destroy_guest || result s10-tcp destroy-2q - - - FAIL "vif left behind"
	s14_connect_malformed gso && s11_gso
	destroy_guest || result s11-gso destroy - - - FAIL "vif left behind"
}
