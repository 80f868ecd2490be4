# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host side of scenario 16 (scenarios/160-xl-toolstack.sh), sourced by
# lib.sh's e2e_build_dom0.

# e2e_xl_patched ROOT: the xl, libxenlight and libxlutil of the toolstack
# series (scripts/xen-toolstack.sh: XL_TOOLSTACK, default build/xen-toolstack)
# under /opt/xl-patched, with wrappers in /opt/xl-patched/bin that put its
# lib/ first in LD_LIBRARY_PATH: Debian's xl and libraries stay as they are
# for every other scenario.  The patched libxenlight runs libxl-save-helper
# (save, restore, migrate) from its compiled-in libexec dir,
# /usr/local/lib/xen/bin.  VIF_RATE_LIBXL (default
# build/xen-vif-rate-libxl/xen-vif-rate, the WITH_LIBXL=1 build) goes
# beside xl.  Without the patched xl, scenario 16 reports FAIL.
e2e_xl_patched() {
	local root=$1 tl=${XL_TOOLSTACK:-$E2E_TOP/build/xen-toolstack} opt=/opt/xl-patched
	local vr=${VIF_RATE_LIBXL:-$E2E_TOP/build/xen-vif-rate-libxl/xen-vif-rate} b lib
	if [ ! -x "$tl/bin/xl" ] || [ ! -x "$tl/bin/libxl-save-helper" ]; then
		e2e_log "no patched xl and libxl-save-helper in $tl: scenario 16 fails"
		return 0
	fi
	mkdir -p "$root$opt/bin" "$root$opt/libexec" "$root$opt/lib" \
		"$root/usr/local/lib/xen/bin" "$root/lib/x86_64-linux-gnu"
	cp -a "$tl"/lib/libxenlight.so* "$tl"/lib/libxlutil.so* "$root$opt/lib/"
	cp "$tl/bin/xl" "$root$opt/libexec/xl"
	[ -x "$vr" ] && cp "$vr" "$root$opt/libexec/xen-vif-rate"
	# The libraries below the series' two (Debian's, or the build host's
	# libnl and libuuid), never over a file already there.
	for b in "$tl/bin/xl" "$tl/bin/libxl-save-helper" ${vr:+"$vr"}; do
		[ -x "$b" ] || continue
		LD_LIBRARY_PATH=$tl/lib:$E2E_ROOT/usr/lib/x86_64-linux-gnu ldd "$b" |
			awk '/=> \//{print $3}' | while read -r lib; do
				case $lib in "$tl"/*) continue ;; esac
				cp -nL "$lib" "$root/lib/x86_64-linux-gnu/"
			done
	done
	cp "$tl/bin/libxl-save-helper" "$root/usr/local/lib/xen/bin/"
	for b in "$root$opt"/libexec/*; do
		# shellcheck disable=SC2016 # $LD_LIBRARY_PATH is the wrapper's
		printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/lib:$LD_LIBRARY_PATH exec %s/libexec/%s "$@"\n' \
			"$opt" "$opt" "${b##*/}" >"$root$opt/bin/${b##*/}"
		chmod 755 "$root$opt/bin/${b##*/}"
	done
	e2e_log "patched xl from $tl in dom0's $opt$([ -x "$vr" ] && echo ", with $vr")"
}
