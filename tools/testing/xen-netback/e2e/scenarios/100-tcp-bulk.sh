# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 10. Bulk TCP with TSO from the guest (create_guest ... tcp: G_FLOWS
# flows of busybox nc + dd) into dom0's sink (e2e-count sink), unlimited,
# then under 5 Kpps, 20 Kpps and 10Mb/s.  TAG names the guest (1q, 2q).
#
# Wire segments are counted by dom0's tap (tap_measure): per skb netback
# passed, ceil(TCP payload / gso_size) from the skb's own gso_size, which is
# exactly what netback charges.  Not chosen: dom0's Tcp InSegs counts skbs
# (a GSO skb from netback is one), rx_packets counts skbs, rx_bytes / (MSS
# + headers) is off by the headers of each skb (~4% for 64 KB skbs, more for
# small ones), and the guest's OutSegs includes retransmissions that never
# left the ring and reaches dom0 only every 2 s.
#
# Each limited step: FAIL if any 5 s window moves no byte (a stall), the
# segments over the windows judged as tol_result judges packets (band
# [rate x T - 3%, burst + rate x T + 3%], a shortfall measured once more);
# the byte limit on frame bytes.  The guest's RetransSegs is reported, not
# judged.
S10_WIN_MS=5000

# s10_judge SPEC: v, ratio, why for the last tap_measure.  The lower bar
# assumes a flood above the limit; bulk TCP from this emulated guest is not
# always one (a 2-vCPU guest sharing one CPU made 7-10 Kseg/s unlimited), so
# when the unlimited step measured less than 1.5 x the limit (S10_CEIL_SEGS,
# S10_CEIL_BYTES), the lower bar is two thirds of that ceiling instead.
# The upper bar never moves.
s10_judge() {
	j=$(seg_judge "$1" "$TAP_SEGS" "$TAP_CS")
	v=${j%% *} j=${j#* }
	ratio=${j%% *} why=${j#* }
	[ "$v" = LOW ] || return 0
	spec_parse "$1"
	if [ -n "$SP_PKTS" ]; then
		n=$TAP_SEGS ceil=${S10_CEIL_SEGS:-0} rate=$(calc "$SP_PKTS * 1000000 / $SP_US" 0)
	else
		n=$TAP_BYTES ceil=${S10_CEIL_BYTES:-0} rate=$(calc "$SP_BYTES * 1000000 / $SP_US" 0)
	fi
	ok=$(awk -v n="$n" -v c="$ceil" -v r="$rate" -v cs="$TAP_CS" -v lo="$E2E_LOW_PCT" 'BEGIN {
		if (c <= 0 || r * 1.5 <= c) { print "no"; exit }
		min = c / 1.5 * cs / 100 * (1 - lo / 100)
		printf "%s %d\n", (n >= min ? "yes" : "low"), min }')
	case $ok in
	yes*) v=PASS why="$why, but unlimited this guest made only $ceil/s: lower bar two thirds of that, ${ok#* }, met" ;;
	low*) why="$why; unlimited this guest made only $ceil/s, and two thirds of that, ${ok#* }, is not met either" ;;
	esac
}

# s10_step SCEN TAG SPEC|none WINDOWS
s10_step() {
	scen=$1 tag=$2 spec=$3 wins=$4
	revive_check
	rev=$REV_NOTE
	r0=$(guest_snmp "$G_NAME" RetransSegs) o0=$(guest_snmp "$G_NAME" OutSegs)
	q0=$(queue_cons "$G_VIF")
	if [ "$spec" = none ]; then
		clear_limit "$G_DOMID" 0 all
		name=$tag-unlimited
	else
		set_limit "$G_DOMID" 0 "$spec"
		name=$tag-$(echo "${spec%%:*}" | tr '/' 'p')
	fi
	sleep 2	# the limit's first moments and TCP's reaction: discarded
	tap_measure "$G_VIF" "$wins" "$S10_WIN_MS"
	if [ "$TAP_ZERO" -ne 0 ] || [ "$TAP_BYTES" -eq 0 ]; then
		# A stall on a guest whose kernel broke: a new guest, once.
		revive_check
		if [ -n "$REV_NOTE" ]; then
			rev="$rev$REV_NOTE (a window moved nothing), measured again"
			r0=$(guest_snmp "$G_NAME" RetransSegs) o0=$(guest_snmp "$G_NAME" OutSegs)
			q0=$(queue_cons "$G_VIF")
			sleep 2
			tap_measure "$G_VIF" "$wins" "$S10_WIN_MS"
		fi
	fi
	q1=$(queue_cons "$G_VIF")
	# (The guest prints its counters every 2 s: they lag up to 2 s.)
	r1=$(guest_snmp "$G_NAME" RetransSegs) o1=$(guest_snmp "$G_NAME" OutSegs)
	retr="guest RetransSegs +$((${r1:-0} - ${r0:-0})) of OutSegs +$((${o1:-0} - ${o0:-0}))"
	[ -n "$r1" ] || retr="guest RetransSegs unknown (no e2e-guest-snmp line)"
	per_skb=$((TAP_BYTES / (TAP_SKBS > 0 ? TAP_SKBS : 1)))
	segs_s=$(calc "$TAP_SEGS * 100 / $TAP_CS")
	bytes_s=$(calc "$TAP_BYTES * 100 / $TAP_CS" 0)
	shape="$TAP_SKBS skbs, avg $per_skb B/skb, max $TAP_MAXSEGS segs/skb; segs/s:$TAP_WINS; KB/s:$TAP_BWINS; $retr$rev"
	[ "$TAP_DROPS" -eq 0 ] || shape="$shape; tap lost $TAP_DROPS skbs"
	ok=$([ "$TAP_ZERO" -eq 0 ] && [ "$TAP_BYTES" -gt 0 ]; echo $?)
	note="$TAP_ZERO of $wins windows of 5 s moved no byte; KB/s:$TAP_BWINS$rev"
	if [ "$spec" = none ] && [ "$ok" -ne 0 ] && [ -n "${E2E_DEBUG_DOM0:-}" ]; then
		# A debug dom0 (run-debug.sh) with no limit in
		# force: no credit code runs, and that slow kernel stalled
		# unlimited TCP for 5 s in two runs (16 flows in the fresh
		# clone of e649b2f, 4 on the KCSAN kernel).  Shown, not judged.
		result "$scen" "$name-no-stall" - - - INFO "$note (no limit on a debug dom0: not judged)"
	else
		check "$scen" "$name-no-stall" "$ok" "$note"
	fi
	if [ "$spec" = none ]; then
		# Healthy rig: several MB/s in skbs of several segments, else
		# nothing below means anything.
		v=FAIL why="rig broken: bulk TCP unlimited should give >= 2 MB/s in skbs of >= 3000 B"
		if [ "$bytes_s" -ge 2000000 ] && [ "$per_skb" -ge 3000 ]; then
			v=PASS why="TSO bulk TCP flows"
		fi
		S10_CEIL_SEGS=${segs_s%.*} S10_CEIL_BYTES=$bytes_s
		result "$scen" "$name" none "$segs_s" - "$v" \
			"$why; $(calc "$bytes_s / 1e6" 1) MB/s; $shape"
		return 0
	fi
	s10_judge "$spec"
	again=
	if [ "$v" = LOW ]; then
		again="; first measurement low ($why; segs/s:$TAP_WINS), measured again over 2 windows"
		tap_measure "$G_VIF" 2 "$S10_WIN_MS"
		s10_judge "$spec"
		segs_s=$(calc "$TAP_SEGS * 100 / $TAP_CS")
		bytes_s=$(calc "$TAP_BYTES * 100 / $TAP_CS" 0)
		shape="$shape; again: segs/s:$TAP_WINS KB/s:$TAP_BWINS"
	fi
	[ "$v" = LOW ] && v=FAIL
	[ "$TAP_DROPS" -eq 0 ] || v=FAIL
	spec_parse "$spec"
	if [ -n "$SP_PKTS" ]; then
		lim=$(calc "$SP_PKTS * 1000000 / $SP_US")
		result "$scen" "$name" "$lim" "$segs_s" "$ratio" "$v" \
			"$spec, wire segments; $why$again; $shape"
	else
		lim=$(calc "$SP_BYTES * 1000000 / $SP_US" 0)
		result "$scen" "$name" "${lim}B/s" "${bytes_s}B/s" "$ratio" "$v" \
			"$spec, frame bytes/s; $why$again; $shape"
	fi
	[ -z "$q0" ] || log "$G_VIF TX requests per queue: $q0-> $q1"
}

# s10_queue_counts: each queue's TX requests in 5 s (d, nq; ok 0 if every
# one of at least 2 queues took 100 or more).
s10_queue_counts() {
	q0=$(queue_cons "$G_VIF")
	sleep 5
	q1=$(queue_cons "$G_VIF")
	nq=$(echo "$q1" | wc -w)
	d=$(echo "$q0|$q1" | awk -F'|' '{ n = split($1, a, " "); split($2, b, " ")
		for (i = 1; i <= n; i++) { x = (b[i] - a[i] + 4294967296) % 4294967296
			printf "%s%d", (i > 1 ? " " : ""), x; if (x < 100) bad = 1 }
		exit bad }')
	ok=$?
	[ "$nq" -ge 2 ] || ok=1
}

# s10_queues TAG: each queue's ring carried requests while unlimited.
s10_queues() {
	qtag=$1 qrev=
	s10_queue_counts
	if [ "$ok" -ne 0 ]; then
		# A guest whose kernel broke sends nothing: a new guest, once.
		revive_check
		if [ -n "$REV_NOTE" ]; then
			qrev="$REV_NOTE (first count: ${d:-none}), counted again"
			sleep 2
			s10_queue_counts
		fi
	fi
	check s10-tcp "$qtag-both-queues" "$ok" \
		"TX requests per queue in 5 s: ${d:-no debugfs counters} ($nq queues, $G_FLOWS flows; each >= 100)$qrev"
}

# s10_holds TAG: under 10Mb/s&20Kpps the byte limit refuses TCP's skbs
# while the packet credit has room.  A refused queue may keep of the
# packet credit only its head skb's cost (at most 46 for a 64 KiB TSO skb
# charged with 54-byte headers) and its last batch's GSO refunds (one per
# skb, 64 a batch): at most 110.  netback once kept all it took, a bucket
# (400) more at every wake-up.  Sampled from debugfs, 20 times in 5 s.
s10_holds() {
	htag=$1
	set_limit "$G_DOMID" 0 '10Mb/s&20Kpps'
	sleep 2
	hmax=-1 hn=0 hs=
	for hi in $(seq 1 20); do
		for hq in $(netback_rings "$G_VIF"); do
			hv=$(sed -n 's/^Credit packets: .*queue holds \([0-9]*\),.*/\1/p' "$hq")
			[ -n "$hv" ] || continue
			hn=$((hn + 1))
			[ "$hv" -gt "$hmax" ] && hmax=$hv
			[ "$hi" -le 4 ] && hs="$hs $hv"
		done
		sleep 0.25
	done
	hok=1
	[ "$hn" -gt 0 ] && [ "$hmax" -ge 1 ] && [ "$hmax" -le 110 ] && hok=0
	check s10-tcp "$htag-holds-one-skb" "$hok" \
		"10Mb/s&20Kpps: packet units a queue held, most of $hn debugfs samples: $hmax (want 1..110: throttled, holding one skb's cost and its refunds; first:$hs)"
}

s10_tcp_bulk() {
	tag=$1
	s10_step s10-tcp "$tag" none 2
	[ "$tag" = 2q ] && s10_queues "$tag"
	for spec in 5Kpps 20Kpps 10Mb/s; do
		s10_step s10-tcp "$tag" "$spec" 3
	done
	s10_holds "$tag"
	clear_limit "$G_DOMID" 0 all
	check_dmesg "s10-tcp-$tag"
}
