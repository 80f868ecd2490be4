# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host-side steps of the xen-netback end-to-end rig: fetch Debian packages,
# build the guest and dom0 initramfs, boot Xen + dom0 under QEMU (software
# emulation), collect the results that dom0 prints on the serial console.
#
# Sourced by run.sh (and by benchmarks that want the same boot).  Every
# function reads the E2E_* variables set by e2e_setup.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TOP=$(cd "$E2E_DIR/../../../.." && pwd)

e2e_log() { printf 'e2e: %s\n' "$*" >&2; }
e2e_die() { e2e_log "error: $*"; exit 1; }

# Resolve versions and paths; fetch and unpack every package into build/deps.
e2e_setup() {
	E2E_OUT=${E2E_OUT:-$E2E_TOP/build/e2e}
	E2E_DEPS=${DEPS:-$E2E_TOP/build/deps}
	E2E_ROOT=$E2E_DEPS/root
	mkdir -p "$E2E_OUT"
	"$E2E_TOP/scripts/deps.sh" host qemu-system-x86 cpio xz-utils kmod
	KVER=$("$E2E_TOP/scripts/deps.sh" kver)
	[ -n "$KVER" ] || e2e_die "cannot resolve the Debian 6.12 kernel ABI"
	export KVER
	"$E2E_TOP/scripts/deps.sh" unpack "linux-image-$KVER-unsigned" \
		xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils \
		libxenmisc4.17 libxenstore4 libxencall1 libxendevicemodel1 \
		libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenhypfs1 \
		libxentoolcore1 libxentoollog1 libyajl2 busybox-static ethtool
	E2E_MODDIR=$E2E_ROOT/lib/modules/$KVER/kernel
	E2E_VMLINUZ=$E2E_ROOT/boot/vmlinuz-$KVER
	E2E_XEN_GZ=$E2E_ROOT/boot/xen-4.17-amd64.gz
	E2E_XENBIN=/usr/lib/xen-4.17/bin
	for f in "$E2E_VMLINUZ" "$E2E_XEN_GZ" "$E2E_ROOT/bin/busybox"; do
		[ -e "$f" ] || e2e_die "missing $f after unpack"
	done
}

# e2e_module NAME DEST: decompress a stock module (busybox insmod takes no .xz).
e2e_module() {
	local ko
	ko=$(find "$E2E_MODDIR" -name "$1.ko.xz" -print -quit)
	[ -n "$ko" ] || e2e_die "module $1 not in linux-image-$KVER"
	xz -dc "$ko" >"$2/$1.ko"
}

# e2e_copy_bin ROOT SRC DEST: copy an ELF binary and, following ldd, its
# libraries (from build/deps first, then from the host's glibc).
e2e_copy_bin() {
	local root=$1 src=$2 dest=$3 lib
	mkdir -p "$root/$(dirname "$dest")"
	cp -L "$src" "$root/$dest"
	LD_LIBRARY_PATH=$E2E_ROOT/usr/lib/x86_64-linux-gnu ldd "$src" |
		awk '/=> \//{print $3} /^\t\/lib64\//{print $1}' |
		while read -r lib; do
			mkdir -p "$root/lib/x86_64-linux-gnu"
			case "$lib" in
			/lib64/*) mkdir -p "$root/lib64"; cp -L "$lib" "$root$lib" ;;
			*) cp -L "$lib" "$root/lib/x86_64-linux-gnu/" ;;
			esac
		done
}

# e2e_busybox ROOT: busybox and its applet links.
e2e_busybox() {
	local root=$1 a
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,etc,var,root}
	cp "$E2E_ROOT/bin/busybox" "$root/bin/busybox"
	for a in $("$E2E_ROOT/bin/busybox" --list-full); do
		[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done
}

# e2e_cpio ROOT OUT: newc archive, gzip (the dom0 kernel unpacks it).
e2e_cpio() {
	(cd "$1" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$2"
}

# Guest: netfront + pktgen, floods every tx queue (guest/init).
e2e_build_guest() {
	local root=$E2E_OUT/guest-root
	rm -rf "$root"
	e2e_busybox "$root"
	mkdir -p "$root/lib/modules"
	e2e_module xen-netfront "$root/lib/modules"
	e2e_module pktgen "$root/lib/modules"
	install -m 755 "$E2E_DIR/guest/init" "$root/init"
	# e2e_tso=off (bench/plan-tcp) turns segmentation offloads off.
	e2e_copy_bin "$root" "$E2E_ROOT/sbin/ethtool" /usr/sbin/ethtool
	# Its qdisc's drops in the TCP counters (guest/init's snmp_report),
	# if this host has tc (the benchmarks need it; the tests do not).
	if command -v tc >/dev/null; then
		e2e_copy_bin "$root" "$(command -v tc)" /usr/sbin/tc
	fi
	# guest/ctl (e2e_mode=tcp): iproute2's ss and ip (tcp_metrics), which
	# busybox lacks, if this host has them; ss needs tcp_diag for more
	# than /proc/net/tcp's cwnd and ssthresh.
	install -m 755 "$E2E_DIR/guest/ctl" "$root/bin/e2e-ctl"
	e2e_module inet_diag "$root/lib/modules"
	e2e_module tcp_diag "$root/lib/modules"
	if command -v ss >/dev/null && command -v ip >/dev/null; then
		e2e_copy_bin "$root" "$(command -v ss)" /usr/bin/ss
		e2e_copy_bin "$root" "$(command -v ip)" /usr/sbin/ip
	fi
	# The GSO sender (e2e_mode=gso), static: the guest has no libc.
	gcc -static -O2 -Wall -Wextra -o "$root/bin/e2e-gso-send" "$E2E_DIR/guest/gso-send.c" ||
		e2e_die "cannot build guest/gso-send.c"
	e2e_cpio "$root" "$E2E_OUT/guest.initrd"
}

# dom0: Xen tools, netback (stock, and patched if given), the dom0 step
# library, the scenarios, the plan, the guest kernel and initramfs.
e2e_build_dom0() {
	local root=$E2E_OUT/dom0-root b m
	rm -rf "$root"
	e2e_busybox "$root"
	mkdir -p "$root/lib/modules/stock" "$root/e2e/scenarios" "$root/etc/xen" \
		"$root/usr/lib/x86_64-linux-gnu"
	# A debug dom0 kernel (E2E_DEBUG_KERNEL, run-debug.sh) has the Xen
	# drivers built in and only its own netback; it takes the planted-
	# report module instead.
	if [ -z "${E2E_DEBUG_KERNEL:-}" ]; then
		for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc xen-netback; do
			e2e_module "$m" "$root/lib/modules/stock"
		done
	else
		mkdir -p "$root/lib/modules/plant"
		cp "$E2E_DEBUG_KERNEL/xnb-plant.ko" "$root/lib/modules/plant/"
		# Stock netback built for the debug kernel, for A/B runs.
		if [ -n "${E2E_STOCK_KO:-}" ]; then
			cp "$E2E_STOCK_KO" "$root/lib/modules/stock/xen-netback.ko"
		fi
	fi
	# libxl-save-helper: Debian's xl can then restore a save file, so
	# that scenario 16 sees it refuse one with a packet rate (xen/0005)
	# rather than fail for want of its helper.
	for b in xl xenstored xen-init-dom0 xenconsoled libxl-save-helper; do
		e2e_copy_bin "$root" "$E2E_ROOT$E2E_XENBIN/$b" "$E2E_XENBIN/$b"
	done
	e2e_copy_bin "$root" "$E2E_ROOT/usr/bin/xenstore" /usr/bin/xenstore
	for b in read write rm ls list exists watch chmod; do
		ln -sf xenstore "$root/usr/bin/xenstore-$b"
	done
	e2e_copy_bin "$root" "$E2E_ROOT/sbin/ethtool" /usr/sbin/ethtool
	# xl needs libgcc_s for pthread_cancel though ldd does not list it.
	cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$root/lib/x86_64-linux-gnu/"
	: >"$root/etc/xen/xl.conf"
	if [ -e "$PATCHED_KO" ]; then
		mkdir -p "$root/lib/modules/patched"
		cp "$PATCHED_KO" "$root/lib/modules/patched/xen-netback.ko"
	fi
	if [ -x "$VIF_RATE" ]; then
		e2e_copy_bin "$root" "$VIF_RATE" /usr/bin/xen-vif-rate
	fi
	# ---- scenario 16: the toolstack series' xl beside Debian's ----
	# shellcheck source=xl-patched.sh
	. "$E2E_DIR/xl-patched.sh"
	e2e_xl_patched "$root"
	# ---- end of scenario 16 ----
	install -m 755 "$E2E_DIR/dom0/init" "$root/init"
	# dom0's segment tap, TCP sink and sampler (dom0/e2e-count.c).
	gcc -static -O2 -Wall -Wextra -o "$root/usr/bin/e2e-count" "$E2E_DIR/dom0/e2e-count.c" ||
		e2e_die "cannot build dom0/e2e-count.c"
	# The emulator's CMPXCHG16B flags (dom0/cx16-flags.c), checked first.
	gcc -static -O2 -Wall -Wextra -o "$root/usr/bin/e2e-cx16-flags" "$E2E_DIR/dom0/cx16-flags.c" ||
		e2e_die "cannot build dom0/cx16-flags.c"
	install -m 755 "$E2E_DIR/dom0/vif-e2e" "$root/e2e/vif-e2e"
	install -m 644 "$E2E_DIR/dom0/e2e-lib.sh" "$root/e2e/e2e-lib.sh"
	install -m 644 "$E2E_DIR"/scenarios/*.sh "$root/e2e/scenarios/"
	install -m 644 "$E2E_PLAN" "$root/e2e/plan"
	cat >"$root/e2e/config" <<-EOF
		E2E_TOL_PCT=${E2E_TOL_PCT:-3}
		E2E_LOW_PCT=${E2E_LOW_PCT:-3}
		E2E_WIN=${E2E_WIN:-2}
		E2E_STEADY=${E2E_STEADY:-5}
		E2E_DISCARD=${E2E_DISCARD:-2}
		E2E_RECREATE=${E2E_RECREATE:-10}
		E2E_S15_ROUNDS=${E2E_S15_ROUNDS:-3}
		E2E_FRAME=60
		E2E_XENBIN=$E2E_XENBIN
		E2E_GUEST_ARGS='${E2E_GUEST_ARGS:-}'
		E2E_DEBUG_DOM0=${E2E_DEBUG_KERNEL:+1}
	EOF
	cp "$E2E_VMLINUZ" "$root/e2e/vmlinuz"
	cp "$E2E_OUT/guest.initrd" "$root/e2e/guest.initrd"
	e2e_cpio "$root" "$E2E_OUT/dom0.initrd"
}

# e2e_boot TIMEOUT: boot Xen + dom0; dom0's /init runs the plan and prints
# results on hvc0, which Xen forwards to com1 = build/e2e/serial.log.
# E2E_CPU is QEMU's CPU model: qemu64 with SVM, what Xen's CI uses (-cpu
# max crashes dom0, NOTES), without CMPXCHG16B: QEMU 7.2's TCG leaves
# garbage in RFLAGS after it (dom0/cx16-flags.c), and with it the kernels'
# SLUB fast path corrupts the flags an interrupt saves (trap flag,
# direction flag).  Without it SLUB takes its locked path; Xen and Linux
# 6.12 need none.
# E2E_QEMU is the QEMU binary (default Debian's qemu-system-x86_64).
# E2E_DOM0_VCPUS (2) and E2E_XEN_ARGS (more Xen options, each followed by a
# space) change the boot for benchmarks; E2E_DOM0_VMLINUZ (Debian's kernel)
# and E2E_DOM0_ARGS (more dom0 options) for the debug dom0 kernel.
# Returns once the end marker, a crash pattern or the timeout is seen.
e2e_boot() {
	local timeout=$1 log=$E2E_OUT/serial.log start pid why=timeout
	gunzip -c "$E2E_XEN_GZ" >"$E2E_OUT/xen.elf"
	rm -f "$log"  # a new file: a stale writer cannot scribble into it
	start=$(date +%s)
	"${E2E_QEMU:-qemu-system-x86_64}" -machine q35 -cpu "${E2E_CPU:-qemu64,+svm,-cx16}" -m 1536 -smp 2 \
		-display none -monitor none -serial "file:$log" -no-reboot -nic none \
		-kernel "$E2E_OUT/xen.elf" \
		-append "console=com1 dom0_mem=1024M,max:1024M dom0_max_vcpus=${E2E_DOM0_VCPUS:-2} ${E2E_XEN_ARGS:-}noreboot" \
		-initrd "${E2E_DOM0_VMLINUZ:-$E2E_VMLINUZ} console=hvc0 earlyprintk=xen rdinit=/init loglevel=4 log_buf_len=16M mitigations=off ${E2E_DOM0_ARGS:-},$E2E_OUT/dom0.initrd" \
		</dev/null >"$E2E_OUT/qemu.log" 2>&1 &
	pid=$!
	# Never leave QEMU behind when we are stopped (CI timeout, ^C).
	trap 'kill "$pid" 2>/dev/null' EXIT
	trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM
	while kill -0 "$pid" 2>/dev/null; do
		if grep -saq '^@@E2E-END' "$log"; then why=end; break; fi
		# Lines dom0's own steps print (@@..., e2e: ..., a guest's
		# console dumped by finish with "   | " or "   . " before each
		# line) may quote a guest's panic: not a crash of Xen or dom0.  (No
		# grep -q at a pipe's end: pipefail and SIGPIPE.)
		# shellcheck disable=SC2143
		if [ -n "$(grep -saE 'Kernel panic|crashed|^\(XEN\) \*\*\*\*|cccccccccccccccc' "$log" |
			grep -av '^@@\|^e2e: \|^   [|.] ')" ]; then
			why=crash; sleep 3; break
		fi
		if [ $(($(date +%s) - start)) -ge "$timeout" ]; then break; fi
		sleep 2
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	trap - EXIT INT TERM
	E2E_BOOT_SECS=$(($(date +%s) - start))
	E2E_BOOT_END=$why
	e2e_log "QEMU stopped after ${E2E_BOOT_SECS}s ($why)"
	# Keep dom0's kernel log and the guests' consoles beside the serial log.
	sed -n '/^@@DMESG-BEGIN/,/^@@DMESG-END/p' "$log" | sed '1d;$d' >"$E2E_OUT/dom0-dmesg.log"
	sed -n '/^@@GUESTLOG-BEGIN/,/^@@GUESTLOG-END/p' "$log" | sed '1d;$d' >"$E2E_OUT/guest-console.log"
}

# e2e_expected MD TXT: every result the plan must produce is there.  The
# list (one "scenario/module/check" a line, # comments) is E2E_EXPECTED;
# by default e2e/expected for plans/full, PLAN.expected beside any other
# plan that has one, none otherwise.  A name with no @@R line of any verdict
# (PASS, FAIL or INFO) gives "FAIL missing/NAME" in TXT and a row in MD: a
# scenario that silently went missing (a plan edit, a function that
# returned early, a dom0 that died) fails the run.  Returns 1 if any is
# missing.
e2e_expected() {
	local md=$1 txt=$2 exp=${E2E_EXPECTED:-} name n=0
	if [ -z "$exp" ]; then
		if [ "${E2E_PLAN:-}" -ef "$E2E_DIR/plans/full" ]; then
			exp=$E2E_DIR/expected
		elif [ -e "${E2E_PLAN:-}.expected" ]; then
			exp=$E2E_PLAN.expected
		fi
	fi
	if [ -z "$exp" ] || [ "$exp" = none ]; then
		# make check's plans all have their list: under CI, a run
		# without one is a run whose missing results nobody sees.
		if [ "${CI:-}" = true ]; then
			echo "FAIL report/no-expected-list (CI=true, E2E_EXPECTED=${E2E_EXPECTED:-unset}, plan ${E2E_PLAN:-unset})" >>"$txt"
			return 1
		fi
		return 0
	fi
	[ -e "$exp" ] || { echo "FAIL report/no-expected-list ($exp)" >>"$txt"; return 1; }
	if [ "${E2E_RECREATE:-10}" != 10 ] && [ "$exp" = "$E2E_DIR/expected" ] &&
	   [ "${CI:-}" != true ]; then
		# That list names the 10 rounds of scenario 9.
		echo "| report | - | expected-list | - | - | - | INFO | not checked: E2E_RECREATE=$E2E_RECREATE |" >>"$md"
		return 0
	fi
	awk -F'|' '{ print $2 "/" $3 "/" $4 }' "$E2E_OUT/results.raw" | sort -u >"$E2E_OUT/results.names"
	while read -r name; do
		case $name in '' | '#'*) continue ;; esac
		grep -qxF -- "$name" "$E2E_OUT/results.names" && continue
		echo "FAIL missing/$name (expected by ${exp#"$E2E_TOP"/}, no result)" >>"$txt"
		echo "| ${name%%/*} | - | ${name#*/} | - | - | - | FAIL | missing: ${exp#"$E2E_TOP"/} expects it, the run did not report it |" >>"$md"
		n=$((n + 1))
	done <"$exp"
	e2e_log "expected results: $(grep -cv '^#\|^$' "$exp") in ${exp#"$E2E_TOP"/}, $n missing"
	[ "$n" -eq 0 ]
}

# e2e_report: turn the @@R lines into results.md and results.txt.
# Line format (from dom0/e2e-lib.sh):
#   @@R|scenario|module|check|limit|measured|ratio|verdict|note
# verdict is PASS, FAIL or INFO (shown, not a check).  Returns 1 on any FAIL
# or when the run did not reach its end marker.
e2e_report() {
	local log=$E2E_OUT/serial.log md=$E2E_OUT/results.md txt=$E2E_OUT/results.txt
	local rc=0
	tr -d '\r' <"$log" | grep -a '^@@R|' >"$E2E_OUT/results.raw" || true
	{
		echo "# xen-netback e2e results"
		echo
		echo "kernel $KVER, Xen 4.17 under QEMU TCG; boot ended: $E2E_BOOT_END after ${E2E_BOOT_SECS}s"
		echo
		echo "| scenario | module | check | limit (pps) | measured pps | ratio | verdict | note |"
		echo "|---|---|---|---|---|---|---|---|"
		awk -F'|' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $2,$3,$4,$5,$6,$7,$8,$9}' \
			"$E2E_OUT/results.raw"
	} >"$md"
	# A FAIL line carries its figures: CI shows only the tail of the log.
	awk -F'|' '$8=="PASS"{print $8, $2 "/" $3 "/" $4}
		$8=="FAIL"{print $8, $2 "/" $3 "/" $4, "(limit " $5 ", measured " $6 ", ratio " $7 "; " $9 ")"}' \
		"$E2E_OUT/results.raw" >"$txt"
	e2e_expected "$md" "$txt" || rc=1
	if [ "$E2E_BOOT_END" != end ]; then
		echo "FAIL boot/ended-$E2E_BOOT_END" >>"$txt"
		rc=1
	fi
	if ! grep -q '^PASS ' "$txt"; then
		echo "FAIL report/no-checks" >>"$txt"
		rc=1
	fi
	grep -q '^FAIL ' "$txt" && rc=1
	return $rc
}
