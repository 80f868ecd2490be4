# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# dom0-side steps of the xen-netback e2e rig (busybox ash).  Sourced by
# dom0/init with /e2e/config; the scenarios and the plan call these.
#
#   load_module stock|patched       swap xen-netback (no vif may exist)
#   create_guest NAME VCPUS [SPEC] [MODE]
#                                   xl create -p, limits, unpause, wait flood;
#                                   MODE pktgen (default), tcp or gso
#   destroy_guest                   xl destroy, wait until the vif is gone
#   set_limit DOMID DEVID SPEC      SPEC in xen-vif-rate syntax, e.g.
#                                   1Mb/s  2Kpps@20ms  1Mb/s&5Kpps@20ms
#   clear_limit DOMID DEVID [bytes|packets|all]
#   measure_pps VIF STEADY DISCARD  2 s windows; MEAN = mean of steady ones
#   check_dmesg SCEN                oops/BUG/WARN/lockdep in dom0's log
#   result ...                      one @@R line for the host's table
#
# Set limits through /usr/bin/xen-vif-rate when it is in the initramfs,
# else write the backend's xenstore keys as the tool would.

FAILS=0
CUR_MOD=none
G_NAME='' G_DOMID='' G_VIF=''
DMESG_ALL=/tmp/dmesg.all
# dom0 kernel log lines that fail the run.
# The checkers of the debug dom0 kernel (plans/debug) report through
# these too: lockdep (circular/recursive/inconsistent locking, suspicious
# RCU usage), KFENCE ("BUG: KFENCE"), SLUB debugging ("BUG kmalloc-8
# (Not tainted): Right Redzone overwritten"), UBSAN, DEBUG_OBJECTS
# (ODEBUG) and DEBUG_ATOMIC_SLEEP ("sleeping function called from invalid
# context"); KASAN and KCSAN for kernels that have them.  Not the bare
# word "lockdep" nor "use-after-free": a debug kernel says "RCU lockdep
# checking is enabled" and "RCU callback double-/use-after-free debug is
# enabled" at boot; the reports start with WARNING:, BUG: or INFO: (KASAN's
# and KFENCE's use-after-free with "BUG:", refcount's with "refcount_t:").
DMESG_BAD='Oops|BUG:|kernel BUG|WARNING:|INFO: possible|INFO: trying to register|DEBUG_LOCKS_WARN_ON|locking correctness validator|lock held when returning|cut here|circular locking|recursive locking|inconsistent lock|possible deadlock|suspicious RCU|Call Trace|general protection|soft lockup|hung_task|blocked for more than|refcount_t:|KASAN|KFENCE|UBSAN|KCSAN:|ODEBUG|sleeping function called|Redzone|Poison overwritten|BUG [^ :]+ \('

log() { echo "e2e: $*"; }

calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# result SCEN CHECK LIMIT MEASURED RATIO VERDICT [NOTE]
result() {
	note=$(echo "${7:-}" | tr '|\n' '/ ')
	echo "@@R|$1|$CUR_MOD|$2|$3|$4|$5|$6|$note"
	[ "$6" = FAIL ] && FAILS=$((FAILS + 1))
	return 0
}

# check SCEN CHECK CONDITION-STATUS NOTE: a yes/no check.
check() {
	if [ "$3" -eq 0 ]; then v=PASS; else v=FAIL; fi
	result "$1" "$2" - - - "$v" "$4"
}

e2e_start_xen() {
	for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do
		# The debug dom0 kernel has them built in: no module file.
		[ -e "/lib/modules/stock/$m.ko" ] || continue
		insmod "/lib/modules/stock/$m.ko" || return 1
	done
	mount -t xenfs xenfs /proc/xen || return 1
	xenstored --pid-file=/run/xenstored.pid || return 1
	i=0
	until xenstore-read /local >/dev/null 2>&1 || xenstore-ls / >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && return 1; sleep 0.2
	done
	xen-init-dom0 || return 1
	xenconsoled --log=guest --log-dir=/var/log/xen/console || return 1
	return 0
}

e2e_fail_boot() {
	result boot setup - - - FAIL "$1"
	finish
}

# dom0 boots with log_buf_len=16M so the ring never wraps in one run; the
# whole log is read each time and DMESG_SEEN lines are skipped.
DMESG_SEEN=0
dmesg_all() { dmesg -s 16777216 >"$DMESG_ALL" 2>/dev/null || dmesg >"$DMESG_ALL"; }

# dmesg_new: kernel log lines since the last call.
dmesg_new() {
	dmesg_all
	tail -n +$((DMESG_SEEN + 1)) "$DMESG_ALL"
	DMESG_SEEN=$(wc -l <"$DMESG_ALL")
}

# check_platform: the emulator's CMPXCHG16B leaves RFLAGS as hardware
# does, or the CPU has none (dom0/cx16-flags.c; lib.sh's E2E_CPU).
check_platform() {
	out=$(e2e-cx16-flags 2>&1)
	check platform cx16-flags $? "$out"
}

check_dmesg() {
	dmesg_all
	bad=$(grep -E "$DMESG_BAD" "$DMESG_ALL" | head -n 3)
	if [ ! -s "$DMESG_ALL" ]; then
		result "$1" dmesg-clean - - - FAIL "could not read dom0's kernel log"
	elif [ -n "$bad" ]; then
		result "$1" dmesg-clean - - - FAIL "$bad"
		# The report itself, for the host's log: the console shows only
		# errors, and a run that times out never dumps the whole log.
		echo "@@DMESG-CONTEXT-BEGIN $1"
		grep -n -E "$DMESG_BAD" "$DMESG_ALL" | head -n 1 | cut -d: -f1 |
			while read -r n; do
				sed -n "$((n > 20 ? n - 20 : 1)),$((n + 40))p" "$DMESG_ALL"
			done
		echo "@@DMESG-CONTEXT-END"
	else
		result "$1" dmesg-clean - - - PASS "$(wc -l <"$DMESG_ALL") lines, no oops/BUG/WARN/lockdep"
	fi
}

# plant_reports: after the final scan of a debug dom0, make each checker
# report a real defect (debug-kernel/plant/xnb_plant.c) and run the same
# scan on the new log lines: a scan that cannot see a report fails here.
# Last step of a run: lockdep turns itself off after its first report,
# and after any taint that makes it unreliable (a SLUB or KFENCE report,
# a WARN): it is planted first.
# plant_broken_guest: the guest revival (guest_revive) planted: the current
# pktgen guest is paused and a kernel report appended to its console log,
# as a guest whose kernel broke looks to dom0; the next measurement must
# create it again under the same limit and pass.
plant_broken_guest() {
	set_limit "$G_DOMID" 0 2Kpps
	old=$G_DOMID
	xl pause "$G_NAME"
	echo "WARNING: e2e planted guest report (dom0 paused this guest)" \
		>>"/var/log/xen/console/guest-$G_NAME.log"
	tol_result plant revive-limit-kept 2Kpps "the guest paused and a report planted"
	k=$(xenstore-read "$(backend "$G_DOMID" 0)/rate-packets" 2>/dev/null)
	check plant revived-guest "$([ "$G_DOMID" != "$old" ] && [ "$k" = 100,50000 ]; echo $?)" \
		"domid $old -> $G_DOMID, rate-packets=${k:-none}, revivals this run: $REVIVED"
	clear_limit "$G_DOMID" 0 all
}

plant_reports() {
	ko=/lib/modules/plant/xnb-plant.ko
	PLANTED=1
	kinds="lockdep atomic-sleep ubsan slub kfence"
	# A KCSAN kernel (DEBUG_KCSAN=1) also gets a data race planted.
	mount_debugfs
	[ -e /sys/kernel/debug/kcsan ] && kinds="$kinds kcsan"
	for w in $kinds; do
		dmesg_new >/dev/null
		if [ ! -e "$ko" ]; then
			result plant "caught-$w" - - - FAIL "no $ko in dom0"
			continue
		fi
		insmod "$ko" what="$w" 2>/dev/null
		sleep 1
		bad=$(dmesg_new | grep -E "$DMESG_BAD" | head -n 2)
		if [ -n "$bad" ]; then
			result plant "caught-$w" - - - PASS "$bad"
		else
			result plant "caught-$w" - - - FAIL "the scan saw no report of the planted $w defect"
		fi
	done
}

# load_module stock|patched: netback only loads when no vif exists.
load_module() {
	[ "$CUR_MOD" = "$1" ] && return 0
	if grep -q '^xen_netback ' /proc/modules; then
		rmmod xen_netback || { log "rmmod xen_netback failed"; return 1; }
	fi
	insmod "/lib/modules/$1/xen-netback.ko" || { log "insmod $1 failed"; return 1; }
	CUR_MOD=$1
	log "xen-netback: $1 loaded"
}

# kunit_in_dom0: the debug dom0 has KUnit built in and the credit's suite
# linked into netback, which runs it when it loads (KTAP in the kernel
# log): every case passed, under this kernel's checkers.  What the suite
# left in the lock classes is judged by the later scans: lockdep reports
# a class the suite took with bottom halves on and netback in NAPI.
kunit_in_dom0() {
	dmesg_all
	sum=$(grep -a '# xen-netback-credit: pass:' "$DMESG_ALL" | tail -n 1 | sed 's/.*# xen-netback-credit: //')
	pass=$(echo "$sum" | sed -n 's/.*pass:\([0-9]*\).*/\1/p')
	# KTAP's "ok" for the suite: no case failed (a skipped suite's line
	# ends in "# SKIP"); and at least one passed.
	grep -aqE '(^|\] )ok [0-9]+ xen-netback-credit$' "$DMESG_ALL"
	ok=$?
	check kunit suite-in-dom0 "$([ "$ok" -eq 0 ] && [ "${pass:-0}" -gt 0 ]; echo $?)" \
		"xen-netback-credit: ${sum:-no KTAP summary in the kernel log}"
	grep -aE 'not ok [0-9]+ ' "$DMESG_ALL" | head -n 5 | while read -r l; do log "kunit: $l"; done
}

backend() { echo "/local/domain/0/backend/vif/$1/$2"; }

# spec_parse SPEC: what xl/xen-vif-rate would write.  Sets SP_US (interval),
# SP_BYTES (bytes per interval, empty if none), SP_PKTS (packets per
# interval, empty if none).  As xl: decimal multipliers, b = bits, default
# interval 50 ms, per-interval values truncated.  A packet rate may carry
# :BURST (packets), e.g. 2Kpps:200@20ms; SP_BURST is empty without it.
unit_mult() {
	case $1 in
	*G) echo $((${1%G} * 1000000000)) ;;
	*M) echo $((${1%M} * 1000000)) ;;
	*K) echo $((${1%K} * 1000)) ;;
	*) echo "$1" ;;
	esac
}
spec_parse() {
	SP_BYTES='' SP_PKTS='' SP_BURST=''
	case $1 in
	*@*) iv=${1##*@} rates=${1%@*} ;;
	*) iv=50ms rates=$1 ;;
	esac
	case $iv in
	*us) SP_US=${iv%us} ;;
	*ms) SP_US=$((${iv%ms} * 1000)) ;;
	*s) SP_US=$((${iv%s} * 1000000)) ;;
	*) SP_US=$((iv * 1000000)) ;;
	esac
	old_ifs=$IFS IFS='&'
	# shellcheck disable=SC2086 # split on '&' on purpose
	set -- $rates
	IFS=$old_ifs
	for r in "$@"; do
		case $r in
		*pps | *pps:*)
			[ "${r#*:}" = "$r" ] || SP_BURST=${r#*:}
			r=${r%%:*}
			SP_PKTS=$(($(unit_mult "${r%pps}") * SP_US / 1000000))
			;;
		*B/s) SP_BYTES=$(($(unit_mult "${r%B/s}") * SP_US / 1000000)) ;;
		*b/s) SP_BYTES=$(($(unit_mult "${r%b/s}") * SP_US / 8000000)) ;;
		esac
	done
}

# spec_pps SPEC: the packet rate of 60-byte frames the limit allows.
spec_pps() {
	spec_parse "$1"
	awk -v b="$SP_BYTES" -v p="$SP_PKTS" -v us="$SP_US" -v f="$E2E_FRAME" 'BEGIN {
		l = -1
		if (p != "") l = p * 1e6 / us
		if (b != "") { x = b * 1e6 / us / f; if (l < 0 || x < l) l = x }
		printf "%.1f", l }'
}

show_limit() {
	bp=$(backend "$1" "$2")
	log "keys of $bp: rate=$(xenstore-read "$bp/rate" 2>/dev/null || echo -)" \
		"rate-packets=$(xenstore-read "$bp/rate-packets" 2>/dev/null || echo -)"
}

# set_limit DOMID DEVID SPEC: replace the limits by SPEC (a part that SPEC
# lacks is cleared after the new values are written, so a change never
# passes through "no limit").
set_limit() {
	spec_parse "$3"
	bp=$(backend "$1" "$2")
	if [ -x /usr/bin/xen-vif-rate ]; then
		xen-vif-rate set "$1" "$2" "$3" || { log "xen-vif-rate set $3 failed"; return 1; }
		[ -n "$SP_BYTES" ] || xen-vif-rate clear "$1" "$2" bytes
		[ -n "$SP_PKTS" ] || xen-vif-rate clear "$1" "$2" packets
	else
		[ -z "$SP_BYTES" ] || xenstore-write "$bp/rate" "$SP_BYTES,$SP_US"
		[ -z "$SP_PKTS" ] || xenstore-write "$bp/rate-packets" "$SP_PKTS,$SP_US${SP_BURST:+,$SP_BURST}"
		[ -n "$SP_BYTES" ] || xenstore-rm "$bp/rate" 2>/dev/null
		[ -n "$SP_PKTS" ] || xenstore-rm "$bp/rate-packets" 2>/dev/null
	fi
	log "set_limit $1/$2 '$3'"
	show_limit "$1" "$2"
	return 0
}

clear_limit() {
	what=${3:-all}
	bp=$(backend "$1" "$2")
	if [ -x /usr/bin/xen-vif-rate ]; then
		xen-vif-rate clear "$1" "$2" "$what" || { log "xen-vif-rate clear failed"; return 1; }
	else
		case $what in bytes | all) xenstore-rm "$bp/rate" 2>/dev/null ;; esac
		case $what in packets | all) xenstore-rm "$bp/rate-packets" 2>/dev/null ;; esac
	fi
	log "clear_limit $1/$2 $what"
	show_limit "$1" "$2"
	return 0
}

rx_packets() { cat "/sys/class/net/$1/statistics/rx_packets" 2>/dev/null || echo -1; }
uptime_cs() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }

# measure_pps VIF STEADY DISCARD: back-to-back windows of E2E_WIN seconds,
# timed by /proc/uptime (sleep overruns under emulation).  MEAN is the
# packets of the steady windows over their time.
measure_pps() {
	vif=$1 steady=$2 discard=$3
	MEAN=0
	f=/sys/class/net/$vif/statistics/rx_packets
	read -r up _ </proc/uptime
	read -r c0 <"$f" 2>/dev/null || { log "$vif: no such device"; return 1; }
	t0=${up%.*}${up#*.}
	i=0 sum_p=0 sum_t=0 wins=
	while [ $i -lt $((steady + discard)) ]; do
		sleep "$E2E_WIN"
		# Clock and counter back to back, without a fork between.
		read -r up _ </proc/uptime
		read -r c1 <"$f" 2>/dev/null || { log "$vif vanished"; return 1; }
		t1=${up%.*}${up#*.}
		pps=$(((c1 - c0) * 100 / (t1 - t0)))
		if [ $i -ge "$discard" ]; then
			sum_p=$((sum_p + c1 - c0)) sum_t=$((sum_t + t1 - t0))
			wins="$wins $pps"
		else
			wins="$wins ($pps)"
		fi
		t0=$t1 c0=$c1 i=$((i + 1))
	done
	MEAN=$(calc "$sum_p * 100 / $sum_t") SUM_P=$sum_p SUM_T=$sum_t
	log "$vif windows pps:$wins -> mean $MEAN"
	[ "$sum_p" -gt 0 ] || vif_dump "$vif"
	return 0
}

# mount_debugfs: once; netback's ring files and KCSAN's switch live there.
mount_debugfs() {
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
}

# netback_rings VIF: netback's debugfs files of VIF's queues (io_ring_qN);
# nothing without debugfs.
netback_rings() {
	mount_debugfs
	for q in /sys/kernel/debug/xen-netback/"$1"/io_ring_q*; do
		[ -e "$q" ] && echo "$q"
	done
	return 0
}

# vif_dump VIF: netback's debugfs view of VIF's queues (ring indexes,
# credit, timer) and its throttle counters, on the console: what a stalled
# vif looked like.
vif_dump() {
	for q in $(netback_rings "$1"); do
		log "stalled $1 ${q##*/}: $(tr '\n' '|' <"$q")"
	done
	log "stalled $1 stats: $(vif_stats "$1")"
}

# wait_flood VIF TIMEOUT: the guest's pktgen is running once rx_packets grows.
wait_flood() {
	wf_i=0
	while [ $wf_i -lt "$2" ]; do
		wf_a=$(rx_packets "$1")
		if [ "$wf_a" -ge 0 ]; then
			sleep 1
			wf_b=$(rx_packets "$1")
			[ $((wf_b - wf_a)) -gt 100 ] && return 0
		else
			sleep 1
		fi
		wf_i=$((wf_i + 1))
	done
	return 1
}

# create_guest NAME VCPUS [SPEC] [MODE]: the limit is written to the backend
# dir while the domain is paused (it only exists after xl create -p), and
# netback reads it at connect.  MODE (guest/init's e2e_mode=): pktgen
# (default), tcp (G_FLOWS bulk TCP flows to dom0's sink; dom0 gets
# 198.18.0.1 on the vif) or gso (guest/gso-send.c).  CREATE_HOOK, if set,
# names a function run while the domain is paused, after SPEC; with
# CREATE_NOWAIT=1 it returns once the vif is connected instead of waiting
# for the flood.  Both are cleared.  Sets G_NAME, G_DOMID, G_VIF, G_MODE,
# G_FLOWS.
# TCP flows: 4 from a 1-vCPU guest, 16 from a guest with more (and so more
# queues).  netfront puts a flow on the queue its hash picks: 4 flows all
# landed on one of two queues in a CI run (1 time in 8); with 16, 1 in
# 32768.
E2E_FLOWS=4
E2E_FLOWS_MQ=16
SINK_PID=
# Its variables (and those of wait_flood and vif_gone) carry a prefix: sh
# has no locals, and guest_revive creates a guest in the middle of a
# scenario whose own "name", "spec" or "i" must survive.
create_guest() {
	cg_name=$1 cg_vcpus=$2 cg_spec=${3:-} cg_mode=${4:-pktgen}
	G_FLOWS=$E2E_FLOWS
	[ "$cg_vcpus" -ge 2 ] && G_FLOWS=$E2E_FLOWS_MQ
	cg_hook=${CREATE_HOOK:-} cg_nowait=${CREATE_NOWAIT:-0}
	CREATE_HOOK='' CREATE_NOWAIT=0
	cat >"/tmp/$cg_name.cfg" <<-EOF
		name = "$cg_name"
		type = "pv"
		kernel = "/e2e/vmlinuz"
		ramdisk = "/e2e/guest.initrd"
		extra = "console=hvc0 loglevel=5 mitigations=off e2e_mode=$cg_mode e2e_flows=$G_FLOWS ${E2E_GUEST_ARGS:-}"
		memory = 160
		vcpus = $cg_vcpus
		on_crash = "preserve"
		vif = [ "mac=00:16:3e:e2:e2:00,script=/e2e/vif-e2e" ]
		# The flooding guest spins on CPU 1 only; dom0, which refills the
		# credit, keeps CPU 0 and is not queued behind it.
		cpus = "1"
	EOF
	cg_t0=$(uptime_cs)
	xl create -p "/tmp/$cg_name.cfg" >/tmp/xl-create.log 2>&1 ||
		{ log "xl create failed: $(cat /tmp/xl-create.log)"; return 1; }
	# shellcheck disable=SC2034 # G_MODE: read by the scenarios
	G_NAME=$cg_name G_DOMID=$(xl domid "$cg_name") G_VIF=vif$(xl domid "$cg_name").0 G_MODE=$cg_mode
	G_VCPUS=$cg_vcpus G_LOG0=$(console_size "$cg_name")
	cg_i=0
	until xenstore-exists "$(backend "$G_DOMID" 0)/state"; do
		cg_i=$((cg_i + 1)); [ $cg_i -gt 100 ] && { log "no backend dir"; return 1; }; sleep 0.1
	done
	[ -z "$cg_spec" ] || set_limit "$G_DOMID" 0 "$cg_spec" || return 1
	[ -z "$cg_hook" ] || "$cg_hook" || return 1
	if [ "$cg_mode" = tcp ]; then
		# The vif netdev exists once the backend is probed (hotplug ran).
		cg_i=0
		until [ -e "/sys/class/net/$G_VIF" ]; do
			cg_i=$((cg_i + 1)); [ $cg_i -gt 300 ] && { log "no $G_VIF"; return 1; }; sleep 0.1
		done
		ip addr add 198.18.0.1/15 dev "$G_VIF" || return 1
		if [ -z "$SINK_PID" ]; then
			e2e-count sink 5001 "$E2E_FLOWS_MQ" &
			SINK_PID=$!
		fi
	fi
	xl unpause "$cg_name" || return 1
	if [ "$cg_nowait" = 1 ]; then
		cg_i=0
		until [ "$(xenstore-read "$(backend "$G_DOMID" 0)/state" 2>/dev/null)" = 4 ]; do
			cg_i=$((cg_i + 1)); [ $cg_i -gt 1200 ] && { log "$G_VIF never connected"; return 1; }; sleep 0.2
		done
		log "guest $cg_name domid $G_DOMID ($cg_vcpus vcpus, $cg_mode) connected" \
			"$((($(uptime_cs) - cg_t0) / 100))s after xl create"
		return 0
	fi
	wait_flood "$G_VIF" 240 || { log "$G_VIF: no flood"; return 1; }
	log "guest $cg_name domid $G_DOMID ($cg_vcpus vcpus, $cg_mode) flooding" \
		"$((($(uptime_cs) - cg_t0) / 100))s after xl create"
}

# console_size NAME: the bytes in NAME's console log so far (xenconsoled
# appends to it when a guest of the same name comes again).
console_size() {
	wc -c <"/var/log/xen/console/guest-$1.log" 2>/dev/null || echo 0
}

# guest_broken: the current guest's kernel reported trouble on its console
# since it was created (GUEST_BAD), or xl says it crashed.  Sets G_WHY.
guest_broken() {
	[ -n "$G_NAME" ] || return 1
	G_WHY=$(tail -c +"$((G_LOG0 + 1))" "/var/log/xen/console/guest-$G_NAME.log" 2>/dev/null |
		grep -a -m1 -E "$GUEST_BAD")
	[ -z "$G_WHY" ] || return 0
	xl list "$G_NAME" 2>/dev/null | awk 'NR == 2 && $5 ~ /c/ { f = 1 } END { exit !f }' &&
		G_WHY="xl list: crashed" && return 0
	return 1
}

# guest_revive: a pktgen or TCP guest whose kernel broke (see
# check_guests: the platform's guest kernel, with either module) is
# destroyed and created again with the same name, vCPUs and mode, its
# backend's rate and rate-packets keys copied as they are, so that one
# guest crash does not fail every scenario after it.  At most E2E_REVIVE
# times a run; the check that asked measures again and says so in its
# note; check_guests still shows the report, and a netfront alert still
# fails the run.  (A gso guest sends a fixed sequence once: not revived.)
E2E_REVIVE=3
REVIVED=0
guest_revive() {
	case $G_MODE in pktgen | tcp) ;; *) return 1 ;; esac
	[ "$REVIVED" -lt "$E2E_REVIVE" ] || return 1
	REVIVED=$((REVIVED + 1))
	rv_b=$(backend "$G_DOMID" 0)
	REV_RATE=$(xenstore-read "$rv_b/rate" 2>/dev/null) || REV_RATE=
	REV_PKTS=$(xenstore-read "$rv_b/rate-packets" 2>/dev/null) || REV_PKTS=
	log "guest $G_NAME (domid $G_DOMID) broken: $G_WHY; creating it again" \
		"(rate=${REV_RATE:--} rate-packets=${REV_PKTS:--})"
	rn=$G_NAME rv=$G_VCPUS rmode=$G_MODE
	destroy_guest || return 1
	CREATE_HOOK=revive_keys create_guest "$rn" "$rv" "" "$rmode"
}

revive_keys() {
	rk_b=$(backend "$G_DOMID" 0)
	[ -z "$REV_RATE" ] || xenstore-write "$rk_b/rate" "$REV_RATE" || return 1
	[ -z "$REV_PKTS" ] || xenstore-write "$rk_b/rate-packets" "$REV_PKTS" || return 1
	return 0
}

# revive_check: for the caller of measure_pps, before it measures: a broken guest is
# created again (REV_NOTE says so for the result's note).
revive_check() {
	REV_NOTE=
	guest_broken || return 0
	rc_why=$G_WHY rc_old=$G_DOMID
	if guest_revive; then
		REV_NOTE="; guest domid $rc_old broke ($rc_why), created again as domid $G_DOMID"
	else
		REV_NOTE="; guest domid $rc_old broke ($rc_why), not created again"
	fi
	return 0
}

# vif_gone TENTHS: wait until the guest's vif and its backend dir are gone;
# returns 1 if they outlive TENTHS tenths of a second.
vif_gone() {
	vg_i=0
	while [ -e "/sys/class/net/$G_VIF" ] || xenstore-exists "$(backend "$G_DOMID" 0)"; do
		vg_i=$((vg_i + 1))
		[ $vg_i -gt "$1" ] && return 1
		sleep 0.1
	done
	return 0
}

# destroy_guest: returns 1 if the vif or its backend dir outlives 20 s.
destroy_guest() {
	[ -n "$G_NAME" ] || return 0
	xl destroy "$G_NAME" || log "xl destroy $G_NAME failed"
	vif_gone 200 || { log "$G_VIF outlived its domain"; return 1; }
	G_NAME='' G_DOMID='' G_VIF=''
	return 0
}

# no_vifs: no vif netdev and no vif backend left in xenstore.
no_vifs() {
	for d in /sys/class/net/vif*; do
		[ -e "$d" ] && return 1
	done
	[ -z "$(xenstore-list /local/domain/0/backend/vif 2>/dev/null)" ]
}

# spec_bound SPEC PACKETS CS: judge PACKETS counted over CS centiseconds
# against the token bucket SPEC configures (60-byte frames).  Prints
# "VERDICT RATIO WHY".  A bucket lets at most burst + rate x T through in any
# window of length T, so the upper bar is that, plus E2E_TOL_PCT for the
# clock; nothing the host does can lift it.  The lower bar is rate x T less
# E2E_LOW_PCT: a flood held back by the limiter gets its rate, but a credit
# refill that dom0 runs later than one burst's worth of time (emulation on a
# busy host) loses credit, which a real host never does.
spec_bound() {
	spec_parse "$1"
	awk -v b="$SP_BYTES" -v p="$SP_PKTS" -v pb="$SP_BURST" -v us="$SP_US" \
	    -v f="$E2E_FRAME" -v n="$2" -v cs="$3" -v hi="$E2E_TOL_PCT" \
	    -v lo="$E2E_LOW_PCT" 'BEGIN {
		t = cs / 100; rate = -1; top = -1
		if (p != "") {
			rate = p * 1e6 / us
			top = rate * t + (pb != "" ? pb : p)
		}
		if (b != "") {
			r = b * 1e6 / us / f
			# The byte bucket holds at least 128 KiB (netback: one
			# 64 KiB packet must always fit).
			bb = (b > 131072 ? b : 131072) / f
			if (rate < 0 || r < rate) rate = r
			if (top < 0 || r * t + bb < top) top = r * t + bb
		}
		want = rate * t; ratio = n / want
		max = top * (1 + hi / 100); min = want * (1 - lo / 100)
		if (n > max)
			printf "FAIL %.3f over burst + rate x T: %d > %d\n", ratio, n, max
		else if (n < min)
			printf "LOW %.3f under rate x T - %s%%: %d < %d\n", ratio, lo, n, min
		else
			printf "PASS %.3f %d in [%d, %d]\n", ratio, n, min, max
	}'
}

# tol_result SCEN CHECK SPEC [NOTE]: measure G_VIF and judge its packets with
# spec_bound.  A shortfall alone is measured once more (the note says so): a
# limit that is exceeded is never given a second chance.
tol_result() {
	lim=$(spec_pps "$3")
	revive_check
	rev=$REV_NOTE
	measure_pps "$G_VIF" "${STEADY:-$E2E_STEADY}" "${DISCARD:-$E2E_DISCARD}" || MEAN=0 SUM_P=0 SUM_T=1
	j=$(spec_bound "$3" "$SUM_P" "$SUM_T")
	again=
	if [ "${j%% *}" = LOW ]; then
		again="; first measurement low ($MEAN pps: ${j#* }), measured again"
		revive_check
		d=0
		[ -z "$REV_NOTE" ] || d=${DISCARD:-$E2E_DISCARD}
		again="$again$REV_NOTE"
		measure_pps "$G_VIF" "${STEADY:-$E2E_STEADY}" "$d" || MEAN=0 SUM_P=0 SUM_T=1
		j=$(spec_bound "$3" "$SUM_P" "$SUM_T")
	fi
	v=${j%% *} j=${j#* }
	ratio=${j%% *} why=${j#* }
	[ "$v" = LOW ] && v=FAIL
	note="$3${4:+; $4}; $why$rev$again"
	result "$1" "$2" "$lim" "$MEAN" "$ratio" "$v" "$note"
}

# info_result SCEN CHECK SPEC NOTE: measured and shown, not judged (stock's
# known defects, shown beside ours).
info_result() {
	lim=$(spec_pps "$3")
	revive_check
	measure_pps "$G_VIF" "$E2E_STEADY" "$E2E_DISCARD" || MEAN=0
	result "$1" "$2" "$lim" "$MEAN" "$(calc "$MEAN / $lim" 3)" INFO "$3; $4$REV_NOTE"
}

# unlimited_result SCEN CHECK [NOTE]: no limit, the flood passes.  The
# emulated capacity swings from 7 to 80 kpps with the host's load, so the bar
# is 1.5 x the highest limit any scenario sets (5000 pps): above every limit.
# Under it, a module that counts throttle events (ours) still passes when
# netback held nothing back during the windows (the host was slow, not us)
# and the rate meets UNLIMITED_FLOOR (pps), a bar that does not come from
# the module under test: 1.5 x the limit just removed, or half of what
# stock passed in this boot (whole pps).  With no UNLIMITED_FLOOR, the
# bar alone.
UNLIMITED_MIN=7500
unlimited_result() {
	revive_check
	rev=$REV_NOTE
	ev0=$(vif_stat "$G_VIF" tx_credit_throttle_events)
	measure_pps "$G_VIF" "${STEADY:-$E2E_STEADY}" "${DISCARD:-$E2E_DISCARD}" || MEAN=0
	if [ "${MEAN%.*}" -lt "$UNLIMITED_MIN" ]; then
		revive_check
		if [ -n "$REV_NOTE" ]; then
			rev="$rev$REV_NOTE, measured again"
			ev0=$(vif_stat "$G_VIF" tx_credit_throttle_events)
			measure_pps "$G_VIF" "${STEADY:-$E2E_STEADY}" "${DISCARD:-$E2E_DISCARD}" || MEAN=0
		fi
	fi
	ev1=$(vif_stat "$G_VIF" tx_credit_throttle_events)
	note="${3:-flood passes (>= $UNLIMITED_MIN pps)}$rev"
	v=$(awk -v m="$MEAN" -v t="$UNLIMITED_MIN" 'BEGIN { print (m >= t) ? "PASS" : "FAIL" }')
	if [ -n "$ev0" ] && [ -n "$ev1" ]; then
		note="$note; throttle events +$((ev1 - ev0))"
		floor=${UNLIMITED_FLOOR:-0}
		if [ "$v" = FAIL ] && [ "$ev1" -eq "$ev0" ] && [ "$floor" -gt 0 ] &&
		   [ "${MEAN%.*}" -ge "$floor" ]; then
			v=PASS note="$note (under the bar, but netback held nothing and >= $floor pps: slow host)"
		fi
	fi
	result "$1" "$2" none "$MEAN" - "$v" "$note"
}

# vif_stat VIF NAME: one ethtool -S counter, empty if unknown (stock).
vif_stat() {
	[ -x /usr/sbin/ethtool ] || return 0
	ethtool -S "$1" 2>/dev/null | awk -v n="$2:" '$1 == n { print $2 }'
}

vif_stats() {
	[ -x /usr/sbin/ethtool ] || return 0
	ethtool -S "$1" 2>/dev/null | grep -E 'credit|throttle' | tr -s ' \n' ' '
}

# ---- traffic beside pktgen (scenarios 10-15) ----

# tap_measure VIF WINDOWS WIN_MS [FILE MAX]: dom0/e2e-count's tap on VIF
# (with FILE: more windows while FILE exists, up to MAX).  Wire
# segments are counted per skb from the gso_size netback gives it (the
# packet socket's virtio_net_hdr): ceil(TCP payload / gso_size), 1 for a
# plain frame, which is what netback charges the packet credit.  Sets
# TAP_SKBS TAP_SEGS TAP_BYTES (frames with Ethernet header) TAP_GSO
# TAP_MAXSEGS TAP_DROPS, TAP_CS (the windows' time in centiseconds),
# TAP_ZERO (windows that moved no byte), TAP_ZRUN (the most such windows
# in a row), TAP_MAXWIN (segments of the
# fullest window), TAP_WINS (segments/s of each window) and TAP_BWINS (KB/s).
tap_measure() {
	e2e-count tap "$@" >/tmp/tap.out 2>&1
	eval "$(awk -v ms="$3" '
		$1 == "W" { n++; secs = ms / 1000
			if ($5 == 0) { zero++; if (++run > zrun) zrun = run } else run = 0
			if ($4 > maxw) maxw = $4
			wins = wins sprintf(" %d", $4 / secs)
			bwins = bwins sprintf(" %d", $5 / secs / 1000) }
		$1 == "TOTAL" { printf "TAP_CS=%d TAP_SKBS=%s TAP_SEGS=%s TAP_BYTES=%s TAP_GSO=%s TAP_MAXSEGS=%s TAP_DROPS=%s TAP_RXP=%s ", $2 / 10000, $3, $4, $5, $6, $7, $8, $10 }
		END { printf "TAP_ZERO=%d TAP_ZRUN=%d TAP_MAXWIN=%d TAP_WINS=\"%s\" TAP_BWINS=\"%s\" TAP_N=%d\n", zero, zrun, maxw, wins, bwins, n }' /tmp/tap.out)"
	if [ "${TAP_N:-0}" -eq 0 ] || [ -z "${TAP_CS:-}" ]; then
		log "tap on $1 failed: $(head -c 300 /tmp/tap.out)"
		# shellcheck disable=SC2034 # read by the scenarios
		TAP_CS=1 TAP_SKBS=0 TAP_SEGS=0 TAP_BYTES=0 TAP_GSO=0 TAP_MAXSEGS=0 TAP_DROPS=0 TAP_ZERO=${TAP_N:-1} TAP_ZRUN=${TAP_N:-1} TAP_MAXWIN=0
		return 1
	fi
	log "$1 tap: $TAP_SKBS skbs, $TAP_SEGS segs, $TAP_BYTES B in ${TAP_CS}cs (vif rx_packets +$TAP_RXP);" \
		"segs/s:$TAP_WINS; KB/s:$TAP_BWINS; max segs/skb $TAP_MAXSEGS; tap drops $TAP_DROPS"
	return 0
}

# guest_snmp NAME FIELD: the last value of FIELD (OutSegs, RetransSegs) the
# guest printed on its console (guest/init, every 2 s); empty if none.
guest_snmp() {
	grep -a 'e2e-guest-snmp:' "/var/log/xen/console/guest-$1.log" 2>/dev/null | tail -n 1 |
		tr ' ' '\n' | sed -n "s/^$2=//p"
}

# queue_cons VIF: "N0 N1 ..." TX requests each queue's ring consumed (netback's
# debugfs io_ring_qN, "req prod P (x) cons C"), empty without debugfs.
queue_cons() {
	for q in $(netback_rings "$1"); do
		awk '/^req prod/ { printf "%s ", $6; exit }' "$q"
	done
}

# seg_judge SPEC SEGS CS: spec_bound for wire segments (packet limits) or,
# for a byte limit, frame bytes (E2E_FRAME=1: the bound is in bytes).
seg_judge() {
	spec_parse "$1"
	if [ -n "$SP_BYTES" ] && [ -z "$SP_PKTS" ]; then
		sj_frame=$E2E_FRAME E2E_FRAME=1
		spec_bound "$1" "$TAP_BYTES" "$3"
		E2E_FRAME=$sj_frame
	else
		spec_bound "$1" "$2" "$3"
	fi
}

# A guest's console: netfront's alerts name what netback sent wrong (a
# response for a request not pending, a grant still mapped, ...); the
# other patterns are the guest kernel's own reports (oops, WARN, BUG, SLUB,
# refcount).
GUEST_NETFRONT='Disabled for further use|Grant still in use|inactive request|incorrect id|Illegal number of responses'
GUEST_BAD="cut here|WARNING:|BUG:|Oops|general protection|Call Trace|refcount_t:|Poison overwritten|Object already free|Redzone|$GUEST_NETFRONT"

# check_guests: every guest's console, at the end of a run.  A netfront
# alert fails the run: it is netback breaking the ring protocol.  A guest
# kernel's own report is shown (INFO), not judged: Debian's guest kernel
# crashes now and then under a pktgen flood in this rig with stock
# netback and no limit as well (fresh-clone CI of 7127cb5: a WARN, then a
# panic in notify_remote_via_irq under pktgen, stock module, unlimited;
# see the e2e README).  A measuring check creates a broken pktgen guest
# again before it measures (guest_revive); any other check that measured
# a broken guest still fails on what it measured.
check_guests() {
	alerts='' reports='' n=0
	for f in /var/log/xen/console/guest-*.log; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		g=${f##*/guest-}
		g=${g%.log}
		if l=$(grep -a -m1 -E "$GUEST_NETFRONT" "$f"); then
			alerts="$alerts $g: $l;"
		elif l=$(grep -a -m1 -E "$GUEST_BAD" "$f"); then
			reports="$reports $g: $l;"
		fi
	done
	if [ -n "$alerts" ]; then
		result "$1" guests-netfront - - - FAIL "netfront alerts:$alerts"
	else
		result "$1" guests-netfront - - - PASS "$n guest consoles, no netfront alert"
	fi
	if [ -n "$reports" ]; then
		result "$1" guests-kernel - - - INFO "guest kernel reports (not netback's; shown, not judged):$reports"
	fi
	return 0
}

finish() {
	# After plant_reports the log holds planted reports on purpose; the
	# plan ran its own final scan before them.
	[ -n "${PLANTED:-}" ] || check_dmesg final
	check_guests final
	echo "@@DMESG-BEGIN"
	cat "$DMESG_ALL"
	echo "@@DMESG-END"
	echo "@@GUESTLOG-BEGIN"
	for f in /var/log/xen/console/*.log; do
		[ -e "$f" ] || continue
		echo "== $f"
		# A guest's own report (netfront's alerts, a WARN) from its
		# start: the tail below may have cut it.
		# Every line prefixed: run.sh's crash watch must not take a
		# guest's panic for one of Xen or dom0.
		grep -a -m1 -A60 -E "$GUEST_BAD" "$f" |
			sed 's/^/   | /'
		tail -n 40 "$f" | sed 's/^/   . /'
	done
	echo "@@GUESTLOG-END"
	echo "@@E2E-END fails=$FAILS"
	sleep 2
	poweroff -f
}
