# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# dom0-side steps of the Xen benchmark (busybox ash), sourced by the plan
# (bench/plan-xen) after the e2e rig's dom0/e2e-lib.sh, whose steps
# (load_module, create_guest, destroy_guest, set_limit, clear_limit,
# rx_packets, backend, calc) it reuses.  Figures only, no verdicts.
#
# Lines printed for the host (run-xen.sh):
#   @@C|case|module|round|wall_s|dom0_s|rx_packets|police_dropped|passed|rx_s
#   @@A|module|kind|limit_pps|round|chunk|T_US:COUNT T_US:COUNT ...
#   @@AN|module|kind|limit_pps|round|samples
#   @@I|text                     (shown in the report as a note)

# shellcheck source=/dev/null
. /e2e/bench.conf

info() { echo "@@I|$*"; log "$*"; }

# iproute2's tc from the build machine; a bare `tc` would run busybox's
# applet (busybox ash prefers its applets to PATH).
TC=/usr/sbin/tc

# dom0's Time(s) in `xl list 0` (both vcpus), 0.1 s resolution.
dom0_time() { xl list 0 2>/dev/null | awk 'NR == 2 { print $NF }'; }
uptime_s() { read -r up _ </proc/uptime; echo "$up"; }

# dom0_sample: DT (dom0 seconds) and TT (uptime at the middle of the xl call).
dom0_sample() {
	ta=$(uptime_s); DT=$(dom0_time); tb=$(uptime_s)
	TT=$(calc "($ta + $tb) / 2" 3)
}

# police_dropped VIF: packets the ingress police dropped (0 without a filter).
police_dropped() {
	if [ -z "$1" ] || [ ! -x "$TC" ]; then echo 0; return; fi
	"$TC" -s filter show dev "$1" parent ffff: 2>/dev/null |
		awk '/dropped/ { s = $0; sub(/.*dropped /, "", s); sub(/[^0-9].*/, "", s); d += s }
			END { print d + 0 }'
}

# cpu_round CASE ROUND: dom0 CPU over CPU_SECS (between the middles of the
# two `xl list 0` calls, which take about a second under TCG), and the vif's
# packets over their own interval (timed by /proc/uptime next to the reads,
# inside the xl calls, so a slow xl does not inflate the pps).
cpu_round() {
	vif=$G_VIF
	p0=0 p1=0 d0=0 d1=0 tp0=0 tp1=1
	dom0_sample; x0=$DT t0=$TT
	[ -z "$vif" ] || { tp0=$(uptime_s); p0=$(rx_packets "$vif"); d0=$(police_dropped "$vif"); }
	sleep "$CPU_SECS"
	[ -z "$vif" ] || { p1=$(rx_packets "$vif"); tp1=$(uptime_s); d1=$(police_dropped "$vif"); }
	dom0_sample; x1=$DT t1=$TT
	rx=$((p1 - p0)) dr=$((d1 - d0)) tw=$(calc "$tp1 - $tp0" 3)
	echo "@@C|$1|$CUR_MOD|$2|$(calc "$t1 - $t0" 3)|$(calc "$x1 - $x0" 1)|$rx|$dr|$((rx - dr))|$tw"
	log "cpu $1 $CUR_MOD round $2: dom0 $(calc "($x1 - $x0) * 100 / ($t1 - $t0)" 1)% of a CPU," \
		"$(calc "$rx / $tw" 0) pps at the vif, $(calc "$dr / $tw" 0) pps dropped by police"
}

# sample_series KIND LIMIT_PPS ROUND: BENCH_SAMPLE_MS samples of the vif for
# ACC_SECS, printed in chunks of 20 samples.
sample_series() {
	f=/tmp/series.$$
	bench-sampler "/sys/class/net/$G_VIF/statistics/rx_packets" "$SAMPLE_MS" "$ACC_SECS" >"$f" ||
		info "sampler failed on $G_VIF ($CUR_MOD $1 $2 round $3)"
	awk -v h="@@A|$CUR_MOD|$1|$2|$3" '
		{ line = line (n % 20 ? " " : "") $1 ":" $2; n++
		  if (n % 20 == 0) { print h "|" int(n / 20) "|" line; line = "" } }
		END { if (n % 20) print h "|" int(n / 20) + 1 "|" line
		      print "@@AN|" substr(h, 5) "|" n }' "$f"
	rm -f "$f"
	sleep 1	# let Xen's serial buffer drain
}

# Stock netback's byte credit at the same rate of 60-byte frames, default
# 50 ms interval, written as xl would: rate = bytes per interval, interval us.
stock_byte_limit() {
	bytes=$(($2 * 60 * 50000 / 1000000))
	xenstore-write "$(backend "$1" 0)/rate" "$bytes,50000"
	log "stock byte limit: rate=$(xenstore-read "$(backend "$1" 0)/rate")"
}

# accuracy KIND: every limit of ACC_PPS, ACC_ROUNDS rounds interleaved.
# (Loop variables here and in the plan must not be e2e-lib.sh's globals:
# its spec_parse, run by set_limit, uses r.)
accuracy() {
	ar=1
	while [ "$ar" -le "$ACC_ROUNDS" ]; do
		for pps in $ACC_PPS; do
			if [ "$CUR_MOD" = stock ]; then
				stock_byte_limit "$G_DOMID" "$pps"
			else
				set_limit "$G_DOMID" 0 "$((pps / 1000))Kpps" >/dev/null
			fi
			sleep "$SETTLE_SECS"
			sample_series "$1" "$pps" "$ar"
		done
		ar=$((ar + 1))
	done
	if [ "$CUR_MOD" = stock ]; then
		xenstore-rm "$(backend "$G_DOMID" 0)/rate" 2>/dev/null
	else
		clear_limit "$G_DOMID" 0 all >/dev/null
	fi
}

# swap_vif MOD: detach the running guest's vif, load netback MOD, attach a
# vif again (the guest's init floods whenever eth0 comes back).  One guest
# serves every module: guest instances of one boot flood at rates tens of
# percent apart, which hid the modules' difference.
swap_vif() {
	xl network-detach "$G_NAME" 0 >/tmp/xl-net.log 2>&1 ||
		{ info "network-detach: $(cat /tmp/xl-net.log)"; return 1; }
	vif_gone 300 || { info "$G_VIF outlived network-detach"; return 1; }
	load_module "$1" || return 1
	xl network-attach "$G_NAME" mac=00:16:3e:e2:e2:00 script=/e2e/vif-e2e \
		>/tmp/xl-net.log 2>&1 || { info "network-attach: $(cat /tmp/xl-net.log)"; return 1; }
	wait_flood "$G_VIF" 60 || { info "$G_VIF: no flood after network-attach ($1)"; return 1; }
}

# guest_tail: the guest's last console lines, as notes (why it stopped).
guest_tail() {
	tail -n 40 "/var/log/xen/console/guest-$G_NAME.log" 2>/dev/null |
		tr -d '\r' | while read -r l; do info "guest $G_NAME: $l"; done
}

# nolimit_rounds: THR_ROUNDS rounds without a limit under one guest, each
# measuring every module of THR_MODS (those present) after swap_vif, the
# order reversed every round to cancel drift.  A round is printed only once
# all its modules are measured; when a swap fails the round is dropped, the
# guest's console shown and a new guest created (3 times at most).
nolimit_rounds() {
	mods=
	for m in $THR_MODS; do
		[ -e "/lib/modules/$m/xen-netback.ko" ] && mods="$mods $m"
	done
	mods=${mods# }
	rev=$(echo "$mods" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "") }')
	[ "$THR_ROUNDS" -gt 0 ] || return 0
	nr=1 renew=0
	while [ "$nr" -le "$THR_ROUNDS" ]; do
		if [ -z "$G_NAME" ]; then
			if ! load_module "${mods%% *}" || ! create_guest "sw$renew" 1; then
				info "no-limit rounds stopped: module or guest failed"
				return 1
			fi
		fi
		if [ $((nr % 2)) = 1 ]; then order=$mods; else order=$rev; fi
		lines='' done_all=1
		for m in $order; do
			if ! swap_vif "$m"; then
				done_all=0
				break
			fi
			sleep "$SETTLE_SECS"
			lines="$lines$(cpu_round nolimit "$nr")
"
		done
		if [ "$done_all" = 1 ]; then
			printf '%s' "$lines"
			nr=$((nr + 1))
			continue
		fi
		info "no-limit round $nr dropped: $m did not flood after the swap"
		guest_tail
		destroy_guest || { info "guest $G_NAME did not go away"; return 1; }
		renew=$((renew + 1))
		[ "$renew" -le 3 ] || { info "no-limit rounds stopped after 3 new guests"; return 1; }
	done
	destroy_guest || info "guest $G_NAME did not go away"
}

# police_on VIF PPS BURST / police_off VIF
police_on() {
	"$TC" qdisc add dev "$1" ingress || { info "tc qdisc add ingress failed on $1"; return 1; }
	if ! "$TC" filter add dev "$1" parent ffff: matchall \
		action police pkts_rate "$2" pkts_burst "$3" conform-exceed drop/ok &&
		! "$TC" filter add dev "$1" parent ffff: matchall \
			action police pkts_rate "$2" pkts_burst "$3" drop; then
		info "tc police setup failed on $1"; police_off "$1"; return 1
	fi
	info "tc on $1: $("$TC" filter show dev "$1" parent ffff: | tr '\n\t' '  ' | tr -s ' ')"
}
police_off() { "$TC" qdisc del dev "$1" ingress 2>/dev/null; }

# guest_ctl CMD [ARGS]: ask the tcp guest's /bin/e2e-ctl (guest/ctl) on
# port 7000; its answer on stdout.
guest_ctl() { echo "$*" | nc -w 20 198.18.0.2 7000; }

# snmp_line: "name=value" of every TcpExt and Tcp counter (as guest/ctl's).
snmp_line() {
	awk '$1 == "TcpExt:" || $1 == "Tcp:" {
		if (!(($1) in h)) { h[$1] = 1; for (i = 2; i <= NF; i++) n[$1, i] = $i; next }
		for (i = 2; i <= NF; i++) printf "%s=%s ", n[$1, i], $i }
		END { print "" }' /proc/net/netstat /proc/net/snmp
}

# guest_state TAG: guest/ctl's state of the tcp guest (each flow's
# ss -tinmo, eth0's qdisc and counters, tcp_metrics, sysctls), netback's
# view of G_VIF's rings and G_VIF's counters, as @@S|TAG|... lines (in the
# serial log, not in the report), appended to /tmp/gstate.log.  The
# guest's TCP counters (some 4 KB a line, too much for Xen's serial
# buffer) go only to /tmp/gstate.TAG, dom0's to /tmp/dstate.TAG, for
# tcpext_delta.
guest_state() {
	gs_t0=$(uptime_s)
	guest_ctl state >/tmp/gstate.out 2>&1
	gs_t1=$(uptime_s)
	sed -n 's/^X //p' /tmp/gstate.out >"/tmp/gstate.$1"
	snmp_line >"/tmp/dstate.$1"
	{
		grep -v '^X ' /tmp/gstate.out | sed "s/^/@@S|$1|/"
		for q in $(netback_rings "$G_VIF"); do
			echo "@@S|$1|R ${q##*/}: $(tr '\n' '|' <"$q")"
		done
		echo "@@S|$1|V $G_VIF rx_packets=$(rx_packets "$G_VIF")" \
			"rx_dropped=$(cat "/sys/class/net/$G_VIF/statistics/rx_dropped")" \
			"$(vif_stats "$G_VIF")"
		echo "@@S|$1|D dom0 up $gs_t1, guest answered in $(calc "$gs_t1 - $gs_t0" 2) s;" \
			"$(top -bn1 | sed -n '2p;5,9p' | tr -s ' \n' ' ')"
	} | tee -a /tmp/gstate.log
}

# The sender's (guest's) TCP loss and recovery counters tcp_round notes,
# and the receiver's (dom0's).
TCPEXT_KEYS="OutSegs RetransSegs TCPLossProbes TCPLossProbeRecovery
TCPSackRecovery TCPRenoRecovery TCPFastRetrans TCPSlowStartRetrans
TCPLostRetransmit TCPRetransFail TCPSpuriousRtxHostQueues TCPDSACKRecv
TCPDSACKOfoRecv TCPDSACKUndo TCPSackFailures TCPSACKReorder TCPTSReorder
TCPFullUndo TCPPartialUndo TCPLossUndo TCPSackRecoveryFail TCPTimeouts"
RCV_KEYS="InSegs InErrs TCPOFOQueue TCPOFODrop TCPOFOMerge TCPRcvQDrop
TCPBacklogDrop PruneCalled RcvPruned OfoPruned TCPDSACKOldSent
TCPDSACKOfoSent TCPZeroWindowDrop TCPRcvCoalesce"

# tcpext_delta A B [KEYS]: "NAME +N" for KEYS (TCPEXT_KEYS) between two
# counter files (guest_state's /tmp/gstate.TAG or /tmp/dstate.TAG).
tcpext_delta() {
	if [ ! -s "$1" ] || [ ! -s "$2" ]; then
		echo "no counters"
		return
	fi
	awk -v keys="${3:-$TCPEXT_KEYS}" '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[FILENAME, kv[1]] = kv[2] } }
		END { n = split(keys, k, /[ \n]+/)
		      for (i = 1; i <= n; i++)
			printf "%s%s +%d", (i > 1 ? ", " : ""), k[i],
				v[ARGV[2], k[i]] - v[ARGV[1], k[i]]
		      print "" }' "$1" "$2"
}

# flow_notes TAG: one note per flow of a guest_state dump: its local
# port and ss's congestion state.
flow_notes() {
	sed -n "s/^@@S|$1|F //p" /tmp/gstate.log | awk '{
		l = "port " substr($3, index($3, ":") + 1) " sendq " $2
		for (i = 5; i <= NF; i++)
			if ($i ~ /^(cwnd|ssthresh|rtt|minrtt|rto|unacked|retrans|lost|sacked|reordering|reord_seen|dsack_dups|notsent|skmem|backoff|rwnd_limited|sndbuf_limited):/ ||
			    $i ~ /^(cubic|reno|bbr)/)
				l = l " " $i
			else if ($i == "pacing_rate" || $i == "delivery_rate")
				l = l " " $i ":" $(i + 1)
		print l }' | while read -r l; do info "  flow $l"; done
}

# delivery_note TAG: after guest_ctl stop-flows and a quiet while, what the
# guest put on its ring (eth0 tx_packets) against what netback passed to
# G_VIF (rx_packets), from guest_state TAG: a difference is a loss between
# the guest's qdisc and dom0's stack.
delivery_note() {
	dn_tx=$(sed -n "s/^@@S|$1|L .* tx_packets=\([0-9]*\) .*/\1/p" /tmp/gstate.log)
	dn_rx=$(sed -n "s/^@@S|$1|V .* rx_packets=\([0-9]*\) .*/\1/p" /tmp/gstate.log)
	info "delivery: guest eth0 tx_packets ${dn_tx:-?}, $G_VIF rx_packets ${dn_rx:-?}" \
		"(difference $(( ${dn_tx:-0} - ${dn_rx:-0} )))"
}

# tcp_round CASE ROUND (bulk TCP plans): after SETTLE_SECS, 3 windows of
# 5 s on G_VIF's tap; one @@T line: wire segments/s at the vif, MB/s,
# police drops, the guest's OutSegs, RetransSegs, TCPTimeouts,
# TCPSpuriousRTOs and qdisc drops over the windows, dom0's CPU.  With
# TCP_STATE=1 also the guest's state before and after (guest_state), the
# TcpExt counters that moved and each flow's state at the end, as notes.
tcp_round() {
	sleep "$SETTLE_SECS"
	if [ "${TCP_STATE:-0}" = 1 ]; then
		guest_state "$1.$2.a"
	fi
	r0=$(guest_snmp "$G_NAME" RetransSegs) o0=$(guest_snmp "$G_NAME" OutSegs)
	to0=$(guest_snmp "$G_NAME" TCPTimeouts) sp0=$(guest_snmp "$G_NAME" TCPSpuriousRTOs)
	qd0=$(guest_snmp "$G_NAME" QdiscDrops)
	d0=$(police_dropped "$G_VIF")
	dom0_sample; x0=$DT t0=$TT
	tap_measure "$G_VIF" 3 5000
	dom0_sample; x1=$DT t1=$TT
	d1=$(police_dropped "$G_VIF")
	sleep 2	# the guest prints its counters every 2 s
	r1=$(guest_snmp "$G_NAME" RetransSegs) o1=$(guest_snmp "$G_NAME" OutSegs)
	to1=$(guest_snmp "$G_NAME" TCPTimeouts) sp1=$(guest_snmp "$G_NAME" TCPSpuriousRTOs)
	qd1=$(guest_snmp "$G_NAME" QdiscDrops)
	tmo=$(( ${to1:-0} - ${to0:-0} )) spur=$(( ${sp1:-0} - ${sp0:-0} ))
	qdr=$(( ${qd1:-0} - ${qd0:-0} ))
	secs=$(calc "$TAP_CS / 100" 2)
	out=$(( ${o1:-0} - ${o0:-0} )) ret=$(( ${r1:-0} - ${r0:-0} ))
	echo "@@T|$1|$2|$(calc "$TAP_SEGS / $secs" 0)|$(calc "$TAP_BYTES / $secs / 1e6" 2)|$(( (d1 - d0) ))|$out|$ret|$(calc "($x1 - $x0) * 100 / ($t1 - $t0)" 1)|$secs|$tmo|$spur|$qdr"
	info "tcp $1 round $2: $(calc "$TAP_SEGS / $secs" 0) wire segs/s at the vif," \
		"$(calc "$TAP_BYTES / $secs / 1e6" 2) MB/s; police dropped $((d1 - d0));" \
		"guest OutSegs +$out RetransSegs +$ret TCPTimeouts +$tmo TCPSpuriousRTOs +$spur" \
		"qdisc drops +$qdr (over ~$(calc "$secs + 2" 0) s);" \
		"dom0 $(calc "($x1 - $x0) * 100 / ($t1 - $t0)" 1)% of a CPU"
	if [ "${TCP_STATE:-0}" = 1 ]; then
		guest_state "$1.$2.b"
		info "  guest TCP: $(tcpext_delta "/tmp/gstate.$1.$2.a" "/tmp/gstate.$1.$2.b")"
		info "  dom0 TCP: $(tcpext_delta "/tmp/dstate.$1.$2.a" "/tmp/dstate.$1.$2.b" "$RCV_KEYS")"
		info "  guest qdisc: $(sed -n "s/^@@S|$1.$2.b|Q //p" /tmp/gstate.log | tr '\n' ' ')"
		info "  guest qdisc flows: $(sed -n "s/^@@S|$1.$2.b|C //p" /tmp/gstate.log |
			awk '{ for (i = 1; i < NF; i++) {
				if ($i == "backlog") b = $(i + 1) " " $(i + 2)
				if ($i == "(dropped") { d = $(i + 1); sub(",", "", d) }
				if ($i == "ldelay") l = $(i + 1) }
				printf "%s%s backlog %s dropped %s ldelay %s", n++ ? "; " : "", $3, b, d, l }')"
		flow_notes "$1.$2.b"
	fi
}
