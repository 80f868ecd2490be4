# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# 16. The toolstack series' xl (patches/xen/, in dom0's /opt/xl-patched
# with its own libxenlight and libxlutil over Debian's hypervisor and lower
# libraries) keeps the packet limit of a vif's rate= key wherever libxl
# rebuilds the vif from its stored configuration:
#   create      xl create without -p: limited from the vif's first packet
#   reboot      the guest reboots itself (xl sysrq b), the monitoring xl
#               creates it again with a new domid
#   restore     xl save + xl restore (Debian's xl, without packet rates,
#               must refuse the file first: restore-old-xl-refuses)
#   migrate     xl migrate -s "" DOM "xl migrate-receive" (to this host)
#   attach      xl network-detach + network-attach with the rate in the spec
#   set-reboot  xen-vif-rate set (the WITH_LIBXL=1 build) 1Kpps, then a
#               reboot: libxl's stored configuration has the new limit
#   set-concurrent  before that reboot, S16_ROUNDS rounds of two sets at
#               once, one of the byte limit, one of the packet limit: both
#               keys and the stored configuration have both new limits
#   set-keep-malformed  a byte change beside a malformed rate-packets key:
#               libxl refuses to record what it cannot hold, the tool says
#               so and writes the byte key alone; then both limits again
#   no-packet-part: rate=1Mb/s gives the same backend keys with Debian's xl
#               and with ours (no rate-packets key)
# After each event that makes a new vif, two checks.  first-window: the
# packets the vif passed from the last time its rx_packets read 100 or
# less (s16_watch polls every vif each 0.1 s from before the event; if it
# never saw the vif under 100, from the hotplug script's stamp, counting
# all) until E2E_WIN seconds after the flood began, then the next E2E_WIN
# seconds, each against the token bucket's burst + rate x T (+3%): an
# unlimited moment (~50 kpps) goes over the first, of some tens of ms on a
# quiet host (the slack is the shortfall of a slow ramp-up); an unlimited
# flood past its ramp-up goes over the second.
# steady: 3 windows of E2E_WIN seconds.  Needs the patched module loaded.
XLP=/opt/xl-patched/bin/xl
S16_NAME=xl16
S16_SPEC='100Mb/s&5Kpps'
S16_VIFSPEC="mac=00:16:3e:e2:e2:16,rate=$S16_SPEC,script=/e2e/vif-e2e"
S16_MEM=${S16_MEM:-160}
# The results' scenario name (a development plan may run it twice).
S16_SCEN=s16-xl
S16_DEV=0

# s16_cfg NAME VIFSPEC: a 1-vCPU pktgen guest's config in /tmp/NAME.cfg.
s16_cfg() {
	cat >"/tmp/$1.cfg" <<-EOF
		name = "$1"
		type = "pv"
		kernel = "/e2e/vmlinuz"
		ramdisk = "/e2e/guest.initrd"
		extra = "console=hvc0 loglevel=4 mitigations=off e2e_mode=pktgen"
		memory = $S16_MEM
		vcpus = 1
		on_crash = "preserve"
		vif = [ "$2" ]
		cpus = "1"
	EOF
}

s16_secs() { echo $((($(uptime_cs) - $1) / 100)); }

# s16_dump EV: the failed command's output and xl's logs, on the console.
s16_dump() {
	for f in "/tmp/s16-$1.log" /var/log/xen/xl-"$S16_NAME"*.log; do
		[ -s "$f" ] || continue
		log "== $f"
		tail -n 25 "$f" | while read -r l; do log "  $l"; done
	done
	log "free memory: $($XLP info 2>/dev/null | grep -E '^(total|free)_memory' | tr -s ' \n' ' ')"
}

# s16_vif DOMID: the domain's vif (its first devid in the backend dir).
s16_vif() {
	d=$(xenstore-list "/local/domain/0/backend/vif/$1" 2>/dev/null | head -n 1)
	[ -n "$d" ] || return 1
	G_DOMID=$1 S16_DEV=$d G_VIF=vif$1.$d G_NAME=$S16_NAME
}

# s16_wait_domid OLD SECS: the domain exists under another domid, with a vif.
s16_wait_domid() {
	i=0
	while [ $i -lt "$2" ]; do
		d=$($XLP domid "$S16_NAME" 2>/dev/null)
		if [ -n "$d" ] && [ "$d" != "$1" ] && s16_vif "$d"; then
			return 0
		fi
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# s16_stored: the stored configuration's limits (xl list -l), as s16_keys.
s16_stored() {
	j=$($XLP list -l "$G_DOMID" 2>/dev/null | tr -d ' \n')
	b=$(echo "$j" | grep -o '"rate_bytes_per_interval":[0-9]*' | cut -d: -f2)
	bu=$(echo "$j" | grep -o '"rate_interval_usecs":[0-9]*' | cut -d: -f2)
	p=$(echo "$j" | grep -o '"rate_packets_per_interval":[0-9]*' | cut -d: -f2)
	pu=$(echo "$j" | grep -o '"rate_packets_interval_usecs":[0-9]*' | cut -d: -f2)
	pb=$(echo "$j" | grep -o '"rate_packets_burst":[0-9]*' | cut -d: -f2)
	if [ -n "$b" ]; then b="$b,$bu"; else b=-; fi
	if [ -n "$p" ]; then p="$p,$pu${pb:+,$pb}"; else p=-; fi
	echo "rate=$b rate-packets=$p"
}

# s16_concurrent VR: rounds of a byte and a packet change at the same
# moment through libxl; the last leaves 100Mb/s&1Kpps, as before it.
s16_concurrent() {
	vr=$1 i=1 rounds=${S16_ROUNDS:-6} bad=0 why='' prev=$(s16_keys)
	while [ $i -le "$rounds" ]; do
		if [ $i -eq "$rounds" ]; then
			sb=100Mb/s sp=1Kpps
		else
			sb=$((20 + i))Mb/s sp=$((1 + i))Kpps
		fi
		$vr set "$G_DOMID" "$S16_DEV" "$sb" >/tmp/s16-cb.log 2>&1 &
		pb=$!
		$vr set "$G_DOMID" "$S16_DEV" "$sp" >/tmp/s16-cp.log 2>&1
		rp=$?
		wait $pb
		rb=$?
		keys=$(s16_keys) stored=$(s16_stored)
		if [ $rb -ne 0 ] || [ $rp -ne 0 ] ||
			grep -q 'xenstore only\|not updated' /tmp/s16-cb.log /tmp/s16-cp.log; then
			why="$why round $i: exit $rb/$rp: $(cat /tmp/s16-cb.log /tmp/s16-cp.log | tr '\n' ' ');"
			bad=$((bad + 1))
		elif [ "${keys%% *}" = "${prev%% *}" ] || [ "${keys#* }" = "${prev#* }" ] ||
			[ "$keys" != "$stored" ]; then
			why="$why round $i ($sb, $sp): before $prev, keys $keys, stored $stored;"
			bad=$((bad + 1))
		fi
		log "s16: set-concurrent round $i ($sb, $sp): keys $keys, stored $stored"
		prev=$keys
		i=$((i + 1))
	done
	if [ $bad -eq 0 ]; then
		check "$S16_SCEN" set-concurrent 0 "$rounds rounds, each change kept: $prev"
	else
		check "$S16_SCEN" set-concurrent 1 "$bad of $rounds rounds lost a change:$why"
	fi
}

# s16_keep_malformed VR: a byte change beside a rate-packets key libxl
# cannot hold (malformed; beyond its 32-bit fields, which netback takes);
# ends with 100Mb/s&1Kpps in force and stored.
s16_keep_malformed() {
	vr=$1 bp=$(backend "$G_DOMID" "$S16_DEV") before=$(s16_stored) bad=0 why=''
	for kv in 1000,x:30Mb/s:187500 4294967296,50000:31Mb/s:193750; do
		k=${kv%%:*} sb=${kv#*:} want=${sb#*:} sb=${sb%%:*}
		xenstore-write "$bp/rate-packets" "$k"
		$vr set "$G_DOMID" "$S16_DEV" "$sb" >/tmp/s16-km.log 2>&1
		rc=$? keys=$(s16_keys) stored=$(s16_stored)
		out="$(tr '\n' ' ' </tmp/s16-km.log)"
		if [ $rc -eq 0 ] && grep -q 'libxl refused' /tmp/s16-km.log &&
			[ "$keys" = "rate=$want,50000 rate-packets=$k" ] &&
			[ "$stored" = "$before" ]; then
			why="$why $k: refused, rate=$want,50000 written, stored kept;"
		else
			why="$why $k: exit $rc, '$out', keys $keys, stored $stored (before $before);"
			bad=1
		fi
	done
	$vr set "$G_DOMID" "$S16_DEV" '100Mb/s&1Kpps' >/tmp/s16-km2.log 2>&1
	rc2=$? keys2=$(s16_keys) stored2=$(s16_stored)
	if [ $rc2 -ne 0 ] || grep -q 'xenstore only\|not updated' /tmp/s16-km2.log ||
		[ "$keys2" != "$stored2" ] || [ "$keys2" != "rate=625000,50000 rate-packets=50,50000" ]; then
		why="$why then exit $rc2, keys $keys2, stored $stored2"
		bad=1
	else
		why="$why then both set: $keys2"
	fi
	check "$S16_SCEN" set-keep-malformed $bad "$why"
}

s16_keys() {
	bp=$(backend "$G_DOMID" "$S16_DEV")
	echo "rate=$(xenstore-read "$bp/rate" 2>/dev/null || echo -)" \
		"rate-packets=$(xenstore-read "$bp/rate-packets" 2>/dev/null || echo -)"
}

# s16_watch: in the background while an event runs, every 0.1 s, the last
# uptime (cs) and rx_packets at which each vif had passed 100 packets or
# less, in /tmp/s16-w.VIF: the time base of the first-window check.
s16_watch() {
	rm -f /tmp/s16-w.*
	while :; do
		for d in /sys/class/net/vif*; do
			[ -e "$d" ] || continue
			# The clock first: the base is at or before the count.
			read -r up _ </proc/uptime
			read -r c <"$d/statistics/rx_packets" 2>/dev/null || continue
			[ "$c" -le 100 ] && echo "${up%.*}${up#*.} $c" >"/tmp/s16-w.${d##*/}"
		done
		sleep 0.1
	done
}
s16_watch_start() { s16_watch & S16_WPID=$!; }
s16_watch_stop() {
	[ -z "$S16_WPID" ] || kill "$S16_WPID" 2>/dev/null
	S16_WPID=
}

# s16_limit EV SPEC: wait for G_VIF's flood, then first-window and steady.
s16_limit() {
	ev=$1 spec=$2 start=$(uptime_cs)
	while :; do
		[ "$(rx_packets "$G_VIF")" -gt 100 ] && break
		if [ $(($(uptime_cs) - start)) -gt 24000 ]; then
			s16_watch_stop
			result "$S16_SCEN" "$ev-first-window" - - - FAIL "$G_VIF: no flood in 240 s"
			result "$S16_SCEN" "$ev-steady" - - - FAIL "$G_VIF: no flood in 240 s"
			return 1
		fi
		sleep 0.1
	done
	log "s16: $ev: $G_VIF flooding $(s16_secs "$start")s after the vif was found"
	# Two windows of E2E_WIN: the count first, then the clock, so that a
	# window's time covers every packet it counts.
	f=/sys/class/net/$G_VIF/statistics/rx_packets
	sleep "$E2E_WIN"
	read -r n1 <"$f"
	read -r up _ </proc/uptime
	t1=${up%.*}${up#*.}
	sleep "$E2E_WIN"
	read -r n2 <"$f"
	read -r up _ </proc/uptime
	t2=${up%.*}${up#*.}
	s16_watch_stop
	if read -r t0 c0 <"/tmp/s16-w.$G_VIF" 2>/dev/null; then
		base="rx_packets last read $c0"
	elif [ -r "/run/vif-e2e-$G_VIF.up" ]; then
		up=$(cat "/run/vif-e2e-$G_VIF.up")
		t0=${up%.*}${up#*.} c0=0 base="the hotplug stamp (not seen under 100)"
	else
		result "$S16_SCEN" "$ev-first-window" - "$n2" - FAIL "no time base for $G_VIF"
		t0=
	fi
	if [ -n "$t0" ]; then
		# Only the upper bars: the flood may start after the time base.
		j1=$(spec_bound "$spec" $((n1 - c0)) $((t1 - t0)))
		j2=$(spec_bound "$spec" $((n2 - n1)) $((t2 - t1)))
		v=PASS
		case "${j1%% *} ${j2%% *}" in *FAIL*) v=FAIL ;; esac
		j=${j2#* }
		result "$S16_SCEN" "$ev-first-window" "$(spec_pps "$spec")" \
			"$(calc "($n2 - $c0) * 100 / ($t2 - $t0)")" "${j%% *}" "$v" \
			"$spec; $G_VIF from $base: $((n1 - c0)) packets in $((t1 - t0))cs (${j1#* }), then $((n2 - n1)) in $((t2 - t1))cs (${j2#* })"
	fi
	STEADY=3 DISCARD=0 tol_result "$S16_SCEN" "$ev-steady" "$spec" "domid $G_DOMID, $(s16_keys)"
}

# s16_event EV SPEC CMD...: CMD gives the domain a new domid (and vif).
s16_event() {
	ev=$1 spec=$2 old=$G_DOMID
	shift 2
	t=$(uptime_cs)
	s16_watch_start
	if ! "$@" >"/tmp/s16-$ev.log" 2>&1; then
		s16_watch_stop
		result "$S16_SCEN" "$ev-first-window" - - - FAIL "'$*' failed: $(tail -n 3 "/tmp/s16-$ev.log")"
		result "$S16_SCEN" "$ev-steady" - - - FAIL "'$*' failed"
		s16_dump "$ev"
		return 1
	fi
	log "s16: $ev: '$*' returned after $(s16_secs "$t")s"
	if ! s16_wait_domid "$old" 180; then
		s16_watch_stop
		result "$S16_SCEN" "$ev-first-window" - - - FAIL "no new domid for $S16_NAME after '$*'"
		result "$S16_SCEN" "$ev-steady" - - - FAIL "no new domid"
		s16_dump "$ev"
		return 1
	fi
	log "s16: $ev: domid $old -> $G_DOMID ($G_VIF) $(s16_secs "$t")s after the command began"
	s16_limit "$ev" "$spec"
	S16_TIMES="$S16_TIMES $ev=$(s16_secs "$t")s"
}

s16_save_restore() {
	$XLP save "$S16_NAME" /tmp/s16.save || return 1
	log "s16: saved ($(du -m /tmp/s16.save | cut -f1) MB)"
	# Debian's xl has no packet rates: it must refuse the file (patch
	# xen/0005's header flag), not restore the guest without its limit.
	# s16_event keeps this function's output: s16_oldxl_check reports.
	xl restore -p /tmp/s16.save >/tmp/s16-oldxl.log 2>&1
	echo $? >/tmp/s16-oldxl.rc
	if xl domid "$S16_NAME" >/dev/null 2>&1; then
		echo restored >>/tmp/s16-oldxl.rc
		xl destroy "$S16_NAME"
	fi
	$XLP restore /tmp/s16.save
	r=$?
	rm -f /tmp/s16.save
	return $r
}

s16_oldxl_check() {
	orc=$(head -n 1 /tmp/s16-oldxl.rc 2>/dev/null)
	if [ -n "$orc" ] && [ "$orc" -ne 0 ] && ! grep -q restored /tmp/s16-oldxl.rc &&
		grep -q 'mandatory flag(s) 0x4 which are not supported' /tmp/s16-oldxl.log; then
		check "$S16_SCEN" restore-old-xl-refuses 0 "Debian's xl restore: exit $orc, '$(grep -o 'Savefile has mandatory.*' /tmp/s16-oldxl.log | head -n 1)'"
	else
		check "$S16_SCEN" restore-old-xl-refuses 1 "Debian's xl restore: exit ${orc:-(not run)}$(grep -q restored /tmp/s16-oldxl.rc 2>/dev/null && echo ', restored the guest'); $(tail -n 3 /tmp/s16-oldxl.log 2>/dev/null | tr '\n' ' ')"
	fi
}

# s16_migrate: xl migrate to this host.  A PV guest's live migration needs
# log-dirty mode, which Xen runs on shadow paging; Debian's hypervisor is
# built without it (CONFIG_SHADOW_PAGING unset, no "shadow" in xl info's
# virt_caps): xc's enable_logdirty gets EOPNOTSUPP (95), the receiver then
# reads an empty stream ("Domain creation failed (code -3)"), and 4.17's
# xl migrate is always live (--live is ignored).  There, the check is that
# the migration fails for that reason only and leaves the guest running at
# the sender under its limit; with shadow paging, that it moves the guest
# (new domid) and the limit with it.
s16_migrate() {
	caps=$($XLP info 2>/dev/null | sed -n 's/^virt_caps *: *//p')
	case " $caps " in
	*" shadow "*)
		m_old=$G_DOMID
		s16_event migrate "$S16_SPEC" "$XLP" migrate -s "" "$S16_NAME" "$XLP migrate-receive"
		[ "$G_DOMID" != "$m_old" ]
		check "$S16_SCEN" migrate $? "domid $m_old -> $G_DOMID (virt_caps:$caps)"
		return 0
		;;
	esac
	t=$(uptime_cs) old=$G_DOMID
	$XLP migrate -s "" "$S16_NAME" "$XLP migrate-receive" >/tmp/s16-migrate.log 2>&1
	rc=$?
	why=$(grep -o 'Failed to enable logdirty: 95[^(]*' /tmp/s16-migrate.log | head -n 1)
	left=$(xl list | awk 'NR > 1 { printf "%s(%s) ", $1, $2 }')
	log "s16: migrate: exit $rc after $(s16_secs "$t")s; domains: $left"
	if [ "$rc" -ne 0 ] && [ -n "$why" ] && [ "$($XLP domid "$S16_NAME" 2>/dev/null)" = "$old" ] &&
		[ "$left" = "Domain-0(0) $S16_NAME($old) " ]; then
		check "$S16_SCEN" migrate 0 "refused as expected without shadow paging (virt_caps:$caps): '$why'; the guest stays domid $old, no other domain left"
	else
		check "$S16_SCEN" migrate 1 "exit $rc, virt_caps:$caps, domains: $left; $(tail -n 3 /tmp/s16-migrate.log)"
		s16_dump migrate
	fi
	result "$S16_SCEN" migrate-first-window - - - INFO "no new vif: the migration did not happen (see migrate)"
	STEADY=3 DISCARD=0 tol_result "$S16_SCEN" migrate-steady "$S16_SPEC" "at the sender after the refused migration, domid $G_DOMID, $(s16_keys)"
	S16_TIMES="$S16_TIMES migrate=$(s16_secs "$t")s"
}

# s16_reattach: detach the vif, attach one with the rate in the spec.
s16_reattach() {
	t=$(uptime_cs)
	s16_watch_start
	# xl network-attach takes the spec's settings as separate arguments.
	# shellcheck disable=SC2046 # split on ',' on purpose
	if ! { $XLP network-detach "$S16_NAME" "$S16_DEV" && vif_gone 300 &&
		$XLP network-attach "$S16_NAME" $(echo "$S16_VIFSPEC" | tr , ' '); } >/tmp/s16-attach.log 2>&1; then
		s16_watch_stop
		result "$S16_SCEN" attach-first-window - - - FAIL "detach/attach failed: $(tail -n 3 /tmp/s16-attach.log)"
		result "$S16_SCEN" attach-steady - - - FAIL "detach/attach failed"
		s16_dump attach
		return 1
	fi
	i=0
	until s16_vif "$G_DOMID"; do
		i=$((i + 1))
		[ $i -gt 300 ] && { s16_watch_stop; result "$S16_SCEN" attach-steady - - - FAIL "no vif after attach"; return 1; }
		sleep 0.1
	done
	log "s16: attach: $G_VIF $(s16_secs "$t")s after network-detach"
	s16_limit attach "$S16_SPEC"
	S16_TIMES="$S16_TIMES attach=$(s16_secs "$t")s"
}

# s16_backend_keys XL: create a rate=1Mb/s guest paused with XL, print its
# vif backend's key names and its rate/rate-packets values, destroy it.
s16_backend_keys() {
	s16_cfg xl16k "mac=00:16:3e:e2:e2:17,rate=1Mb/s,script=/e2e/vif-e2e"
	"$1" create -p /tmp/xl16k.cfg >/tmp/s16-keys.log 2>&1 || { echo "create failed"; return 1; }
	d=$(xl domid xl16k)
	bp=$(backend "$d" 0)
	i=0
	until xenstore-exists "$bp/hotplug-status"; do
		i=$((i + 1)); [ $i -gt 300 ] && break; sleep 0.1
	done
	echo "keys: $(xenstore-list "$bp" | sort | tr '\n' ' ')" \
		"rate=$(xenstore-read "$bp/rate" 2>/dev/null || echo -)" \
		"rate-packets=$(xenstore-read "$bp/rate-packets" 2>/dev/null || echo -)"
	"$1" destroy xl16k
	G_DOMID=$d G_VIF=vif$d.0
	vif_gone 200
}

s16_xl_toolstack() {
	S16_TIMES='' S16_WPID=''
	t16=$(uptime_cs)
	# The limit's accuracy is judged by scenarios 2-6; here that libxl
	# keeps it (a lost one is ~10 times over the upper bar) and that the
	# flood is there: the lower bar at 25%, which a host busy with other
	# work (0.84-0.95 measured beside another QEMU) does not reach.
	s16_low=$E2E_LOW_PCT E2E_LOW_PCT=25
	destroy_guest || result "$S16_SCEN" destroy-before - - - FAIL "vif left behind"
	if [ ! -x "$XLP" ]; then
		check "$S16_SCEN" patched-xl 1 "no $XLP: no build/xen-toolstack on the host (scripts/xen-toolstack.sh)"
		E2E_LOW_PCT=$s16_low
		return 0
	fi
	check "$S16_SCEN" patched-xl 0 "$XLP: $($XLP info 2>&1 | grep -E '^(xen_version|free_memory|virt_caps)' | tr -s ' \n' ' ')"

	# create, without -p
	s16_cfg "$S16_NAME" "$S16_VIFSPEC"
	t=$(uptime_cs)
	s16_watch_start
	if ! $XLP create "/tmp/$S16_NAME.cfg" >/tmp/s16-create.log 2>&1 || ! s16_wait_domid none 60; then
		s16_watch_stop
		result "$S16_SCEN" create-first-window - - - FAIL "xl create failed: $(tail -n 3 /tmp/s16-create.log)"
		s16_dump create
		E2E_LOW_PCT=$s16_low
		return 0
	fi
	log "s16: create: domid $G_DOMID, $G_VIF, $(s16_keys)"
	s16_limit create "$S16_SPEC"
	S16_TIMES="create=$(s16_secs "$t")s"

	s16_event reboot "$S16_SPEC" "$XLP" sysrq "$S16_NAME" b
	rm -f /tmp/s16-oldxl.rc /tmp/s16-oldxl.log
	s16_event restore "$S16_SPEC" s16_save_restore
	s16_oldxl_check
	s16_migrate
	s16_reattach

	# A live change through libxl, then a reboot: the stored config has it.
	tm=$(uptime_cs)
	vr=/opt/xl-patched/bin/xen-vif-rate
	if [ -x "$vr" ] && $vr set "$G_DOMID" "$S16_DEV" 1Kpps >/tmp/s16-set.log 2>&1 &&
		! grep -q 'xenstore only\|not updated' /tmp/s16-set.log; then
		check "$S16_SCEN" set-libxl 0 "xen-vif-rate set $G_DOMID $S16_DEV 1Kpps: $(s16_keys)"
	else
		check "$S16_SCEN" set-libxl 1 "$vr: $(cat /tmp/s16-set.log 2>/dev/null)"
	fi
	STEADY=3 DISCARD=1 tol_result "$S16_SCEN" set-live-steady '100Mb/s&1Kpps' "domid $G_DOMID, live"
	if [ -x "$vr" ]; then
		s16_concurrent "$vr"
		s16_keep_malformed "$vr"
	else
		check "$S16_SCEN" set-concurrent 1 "no $vr"
		check "$S16_SCEN" set-keep-malformed 1 "no $vr"
	fi
	s16_event set-reboot '100Mb/s&1Kpps' "$XLP" sysrq "$S16_NAME" b
	S16_TIMES="$S16_TIMES set+reboot=$(s16_secs "$tm")s"
	$XLP destroy "$S16_NAME"
	vif_gone 200 || result "$S16_SCEN" destroy - - - FAIL "$G_VIF outlived its domain"
	# shellcheck disable=SC2034 # G_NAME: read by destroy_guest
	G_NAME='' G_DOMID='' G_VIF=''

	# No packet part: Debian's xl and ours write the same backend keys.
	tm=$(uptime_cs)
	deb=$(s16_backend_keys xl)
	ours=$(s16_backend_keys "$XLP")
	case $deb in *rate=-* | *rate-packets=[!-]* | 'create failed'*) same=1 ;; *) same=0 ;; esac
	[ "$deb" = "$ours" ] || same=1
	check "$S16_SCEN" no-packet-part-same-keys "$same" "rate=1Mb/s; Debian's xl: $deb; ours: $ours"
	S16_TIMES="$S16_TIMES no-packet-part=$(s16_secs "$tm")s"
	E2E_LOW_PCT=$s16_low
	check_dmesg "$S16_SCEN"
	result "$S16_SCEN" time - - - INFO "$S16_TIMES; scenario $(s16_secs "$t16")s"
}
