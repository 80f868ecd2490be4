#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit suite of the credit core on UML (ARCH=um, x86_64 host) in
# the prepared tree.  Prints kunit.py's report; the build is kept in
# build/kunit so that a second run only rebuilds what changed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$top/build/linux-6.12}

"$top/scripts/deps.sh" host make gcc bc flex bison python3
cd "$tree"
./tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig=drivers/net/xen-netback \
	--build_dir="$top/build/kunit" --jobs="$(nproc)"
