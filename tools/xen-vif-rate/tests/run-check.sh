#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every xen-vif-rate test step and sum their "N passed, N failed"
# lines.  A step that crashes or prints no summary counts as one failure.
# Usage: run-check.sh BUILDDIR BINARY FUZZ_RUNS XL_FUZZ_RUNS
b=$1
bin=$2
src=$(cd "$(dirname "$0")" && pwd)
total_p=0
total_f=0

# step NAME CMD...: run, echo its output, add up its summary line.
step() {
	name=$1
	shift
	echo "== $name"
	"$@" >"$b/$name.log" 2>&1
	rc=$?
	cat "$b/$name.log"
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed$' "$b/$name.log" | tail -n1)
	p=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		p=0
		f=1
		echo "$name: no summary line (rc $rc)"
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "$name: exit status $rc"
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
}

# libFuzzer prints "Done N runs"; the step passes if no invariant broke
# and at least $runs inputs were executed.
# fuzz_step NAME HARNESS RUNS
fuzz_step() {
	name=$1
	fz=$2
	runs=$3
	# A fresh corpus keeps the run reproducible (-seed=1); inputs found
	# by "make fuzz" in fuzz-corpus are replayed as regression seeds.
	rm -rf "$b/$name-corpus"
	mkdir -p "$b/$name-corpus"
	# Short allocation stacks: halves the cost of the harness' malloc.
	ASAN_OPTIONS=malloc_context_size=2 \
	"$b/$fz" -runs="$runs" -max_len=64 -seed=1 \
		-artifact_prefix="$b/$name-" \
		-dict="$src/fuzz.dict" "$b/$name-corpus" \
		"$b/fuzz-seeds" "$b/fuzz-corpus" >"$b/$name.out" 2>&1
	rc=$?
	tail -n 2 "$b/$name.out"
	n=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$b/$name.out")
	if [ "$rc" = 0 ] && [ -n "$n" ] && [ "$n" -ge "$runs" ]; then
		echo "$name: $n inputs under ASan+UBSan"
		echo "$name: 1 passed, 0 failed"
	else
		echo "$name: rc $rc after ${n:-?} inputs (want $runs)"
		echo "$name: 0 passed, 1 failed"
	fi
}

# The plain fuzzer is the longest step: run it on the other core meanwhile.
mkdir -p "$b/fuzz-corpus" "$b/fuzz-seeds"
i=0
while IFS= read -r s; do
	i=$((i + 1))
	printf '%s' "$s" >"$b/fuzz-seeds/seed$i"
done <"$src/fuzz-seeds.txt"
fuzz_step fuzz fuzz_rate_spec "$3" >"$b/fuzz-step.log" 2>&1 &
fuzz_pid=$!

step parser "$b/test_rate_spec"
step diff-xlu "$b/diff_xlu"
step cli sh "$src/cli.sh" "$bin"
step xenstore sh "$src/xenstore.sh" "$bin"
step fuzz-xl fuzz_step fuzz-xl fuzz_rate_spec_xl "$4"
fuzz_wait() {
	wait "$fuzz_pid"
	cat "$b/fuzz-step.log"
}
step fuzz fuzz_wait

echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
