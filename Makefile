# SPDX-License-Identifier: GPL-2.0
#
# make        prepare the patched tree, build build/xen-netback.ko for
#             Debian's newest 6.12 amd64 kernel (KVER= to choose), the
#             toolstack command build/xen-vif-rate, and build/series/
# make check  every test; ends with "N passed, N failed"
# make e2e    the end-to-end test on Xen under QEMU alone
# make e2e-debug  the same on a dom0 kernel with lockdep, KFENCE, UBSAN...
# make e2e-kcsan  the same with KCSAN too (not in make check)
# make kunit  the KUnit suite alone (UML)
# make bench  benchmarks (figures, never pass/fail)

BUILD := $(CURDIR)/build

.PHONY: all tree module series tool check kunit e2e e2e-debug e2e-kcsan debug-kernel bench fuzz dkms-src docs-check clean \
	xen-toolstack xen-toolstack-check tool-libxl

all: module series tool xen-toolstack

tree:
	scripts/prepare-tree.sh

module: tree
	scripts/build-module.sh

series: tree
	scripts/format-series.sh

tool:
	$(MAKE) -C tools/xen-vif-rate O=$(BUILD)

# The Xen 4.17.7 toolstack series (patches/xen/): libxl, libxlutil and xl
# built from ../shared/xen, and build/xen-series/.
xen-toolstack:
	scripts/xen-toolstack.sh

xen-toolstack-check: xen-toolstack
	scripts/xen-toolstack-check.sh

# xen-vif-rate linked with the series' libxenlight (e2e scenario 16).
tool-libxl: xen-toolstack
	$(MAKE) -C tools/xen-vif-rate O=$(BUILD)/xen-vif-rate-libxl WITH_LIBXL=1

kunit: tree
	scripts/kunit.sh

check:
	scripts/check.sh

e2e: module tool tool-libxl
	PATCHED_KO=$(BUILD)/xen-netback.ko VIF_RATE=$(BUILD)/xen-vif-rate \
		tools/testing/xen-netback/e2e/run.sh

# The debug dom0 kernel (scripts/debug-kernel.sh) and the rig on it.
debug-kernel: tree
	scripts/debug-kernel.sh

e2e-debug: debug-kernel tool
	VIF_RATE=$(BUILD)/xen-vif-rate tools/testing/xen-netback/e2e/run-debug.sh

# The same with KCSAN (its own kernel, build/debug-kernel-kcsan); not in
# make check.
e2e-kcsan: tree tool
	DEBUG_KCSAN=1 scripts/debug-kernel.sh
	DEBUG_KCSAN=1 VIF_RATE=$(BUILD)/xen-vif-rate tools/testing/xen-netback/e2e/run-debug.sh

dkms-src: tree
	scripts/dkms-src.sh

docs-check: tree
	scripts/docs-check.sh

fuzz:
	$(MAKE) -C tools/xen-vif-rate O=$(BUILD) fuzz

bench: module tool
	tools/testing/xen-netback/bench/run.sh

clean:
	rm -rf $(BUILD)/linux-* $(BUILD)/kunit $(BUILD)/series $(BUILD)/check \
		$(BUILD)/*.ko $(BUILD)/xen-vif-rate $(BUILD)/dkms $(BUILD)/dkms-check \
		$(BUILD)/series-check $(BUILD)/backport-6.1 $(BUILD)/e2e $(BUILD)/bench \
		$(BUILD)/unpatched-6.12 $(BUILD)/xen-4.17.7 $(BUILD)/xen-toolstack \
		$(BUILD)/xen-series $(BUILD)/xen-toolstack-check $(BUILD)/xen-vif-rate-libxl \
		$(BUILD)/debug-kernel $(BUILD)/e2e-debug \
		$(BUILD)/debug-kernel-kcsan $(BUILD)/e2e-kcsan
