# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 4. A 2-queue guest (vcpus=2) flooding both queues: the total stays within
# +-3% of the byte limit and of the packet limit.  Stock gives each queue
# the full credit (2x), shown as INFO.  The byte limit is set at creation.
s4_multiqueue() {
	destroy_guest || result s4-multiqueue destroy-before - - - FAIL "vif left behind"
	if ! create_guest mq 2 1Mb/s; then
		result s4-multiqueue create - - - FAIL "2-vcpu guest did not flood"
		return 0
	fi
	nq=$(xenstore-read "/local/domain/$G_DOMID/device/vif/0/multi-queue-num-queues" 2>/dev/null || echo 1)
	if [ "$CUR_MOD" = stock ]; then
		info_result s4-multiqueue "bytes-2q" 1Mb/s "$nq queues; stock: each queue gets the credit"
	else
		check s4-multiqueue two-queues "$([ "$nq" = 2 ]; echo $?)" "multi-queue-num-queues=$nq"
		tol_result s4-multiqueue bytes-2q 1Mb/s "$nq queues"
		set_limit "$G_DOMID" 0 2Kpps
		tol_result s4-multiqueue packets-2q 2Kpps "$nq queues"
	fi
	destroy_guest || result s4-multiqueue destroy - - - FAIL "vif left behind"
}
