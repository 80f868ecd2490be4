#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn the @@C/@@A/@@I lines of run-xen.sh's boot into build/bench/xen.md
# and accuracy.png (see run-xen.sh and dom0-bench.sh for the line formats).
#
#   xen-report.sh RAW WORKDIR MD PNG KVER BOOT_END BOOT_SECS ACC_SECS SAMPLE_MS CPU_SECS
set -euo pipefail
raw=$1 work=$2 md=$3 png=$4 kver=$5 boot_end=$6 boot_secs=$7
acc_secs=$8 sample_ms=$9 cpu_secs=${10}
mkdir -p "$work/series"
rm -f "$work/series"/*.dat "$work/series.sum"

# --- accuracy: one summary line per series, one .dat file per series ---
# window i: dn packets over dt us; bound = burst + rate * dt, burst = rate * 50 ms
awk -F'|' -v dir="$work/series" -v sum="$work/series.sum" '
$1 == "@@A" {
	k = $2 "|" $3 "|" $4 "|" $5
	if (!(k in ns)) { keys[++nk] = k }
	m = split($7, f, " ")
	for (i = 1; i <= m; i++) {
		split(f[i], p, ":")
		j = ns[k]++
		T[k, j] = p[1]; C[k, j] = p[2]
	}
}
END {
	for (q = 1; q <= nk; q++) {
		k = keys[q]; split(k, h, "|")
		mod = h[1]; kind = h[2]; rate = h[3]; rnd = h[4]; n = ns[k]
		if (n < 2) continue
		burst = rate * 0.05
		file = dir "/" mod "-" rate "-r" rnd ".dat"
		print "# t_s pps_window packets dt_ms bound_packets" > file
		worst = -1; over = 0; maxdt = 0; sq = 0
		for (j = 1; j < n; j++) {
			dt = T[k, j] - T[k, j - 1]; dn = C[k, j] - C[k, j - 1]
			if (dt <= 0) continue
			b = burst + rate * dt / 1e6
			r = dn / b
			if (r > worst) { worst = r; wdn = dn; wdt = dt; wb = b }
			if (dn > b) over++
			if (dt > maxdt) maxdt = dt
			pw = dn * 1e6 / dt
			printf "%.3f %.1f %d %.1f %.1f\n", (T[k, j] - T[k, 0]) / 1e6, pw, dn, dt / 1000, b > file
		}
		close(file)
		mean = (C[k, n - 1] - C[k, 0]) * 1e6 / (T[k, n - 1] - T[k, 0])
		printf "%s %s %s %s %.1f %.4f %d %.1f %.1f %d %d %.1f %.1f\n", mod, kind, rate, rnd, mean,
			worst, wdn, wdt / 1000, wb, over, n - 1, maxdt / 1000,
			(T[k, n - 1] - T[k, 0]) / 1e6 > sum
	}
}' "$raw"
touch "$work/series.sum"

# mean +- sample stdev and min-max of a list on stdin
stats='function fmt(x) { return P3 ? sprintf("%.3f", x) : (x >= 100) ? sprintf("%.0f", x) : sprintf("%.2f", x) }
function st(a, n,   i, s, q, mn, mx) {
	s = 0; q = 0; mn = a[1]; mx = a[1]
	for (i = 1; i <= n; i++) { s += a[i]; if (a[i] < mn) mn = a[i]; if (a[i] > mx) mx = a[i] }
	M = s / n
	for (i = 1; i <= n; i++) q += (a[i] - M) ^ 2
	SD = (n > 1) ? sqrt(q / (n - 1)) : 0; MN = mn; MX = mx
	return fmt(M) " ± " fmt(SD) " (" fmt(mn) "–" fmt(mx) ", n=" n ")"
}'

{
echo "## Xen benchmarks (xen-netback transmit credit)"
echo
echo "Xen 4.17 + Debian $kver dom0 (2 vcpus) under QEMU TCG (software emulation, no KVM) on"
echo "$(nproc) host cores; 1-vcpu PV guest flooding 60-byte pktgen frames; dom0 counts the"
echo "vif's rx_packets.  Boot ended: $boot_end after ${boot_secs}s.  Spreads: mean ± sample"
echo "stdev (min–max, n = rounds)."
echo
echo "### 1. Accuracy: patched packet limit vs stock byte limit at the same rate"
echo
echo "${acc_secs} s per round, rx_packets sampled every ${sample_ms} ms (CLOCK_MONOTONIC in dom0);"
echo "stock: \`rate\` = pps × 60 B per second at the default 50 ms interval (xenstore-write);"
echo "patched: \`xen-vif-rate set D 0 NKpps\` (50 ms interval, burst = one interval = rate × 50 ms)."
echo "Bound of a window of dt: burst + rate × dt (dt measured, nominal 100 ms → 1.5 × rate × 0.1 s)."
echo
echo "| limit (pps) | module (limit) | mean pps | mean / limit | worst window / bound (per round) | worst window (pkts / ms, bound) | windows over bound | longest window (ms) |"
echo "|---|---|---|---|---|---|---|---|"
awk -v rates="$(awk '{print $3}' "$work/series.sum" | sort -nu | tr '\n' ' ')" "$stats"'
{ k = $3 "|" $1; n[k]++; mean[k, n[k]] = $5; ratio[k, n[k]] = $5 / $3; w[k, n[k]] = $6
  if (!(k in ww) || $6 > ww[k]) { ww[k] = $6; wtxt[k] = $7 " / " $8 " (" $9 ")" }
  over[k] += $10; wins[k] += $11; if ($12 > mdt[k]) mdt[k] = $12; kind[k] = $2 }
END {
	nr = split(rates, R, " ")
	for (i = 1; i <= nr; i++) for (mi = 1; mi <= 2; mi++) {
		mod = (mi == 1) ? "stock" : "patched"; k = R[i] "|" mod
		if (!(k in n)) continue
		for (j = 1; j <= n[k]; j++) { a[j] = mean[k, j]; b[j] = ratio[k, j]; c[j] = w[k, j] }
		s1 = st(a, n[k]); P3 = 1; s2 = st(b, n[k]); st(c, n[k]); P3 = 0
		s3 = sprintf("%.3f–%.3f", MN, MX)
		printf "| %d | %s (%s) | %s | %s | %s | %s | %d / %d | %.0f |\n", R[i], mod, kind[k], s1, s2, s3, wtxt[k], over[k], wins[k], mdt[k]
	}
}' "$work/series.sum"
echo
echo "Plot: build/bench/accuracy.png (pps per window, round 1 of each; dashed: the limit)."
echo

echo "### 2. What a held-back flood costs dom0 (1-vcpu guest, 5 kpps)"
echo
echo "dom0 CPU = change of dom0's Time(s) in \`xl list 0\` (both dom0 vcpus, 0.1 s resolution)"
echo "over ${cpu_secs} s, as % of one CPU.  pps to dom0's stack = vif rx_packets, minus the police's"
echo "drops for tc (\`tc -s filter show\`)."
echo
echo "| case | module | dom0 CPU (% of one CPU) | pps at the vif | pps to dom0's stack |"
echo "|---|---|---|---|---|"
awk -F'|' -v sumf="$work/cpu.sum" "$stats"'
$1 == "@@C" { k = $2 "|" $3; if (!(k in n)) ks[++nk] = k; j = ++n[k]
	w = ($10 != "" && $10 > 0) ? $10 : $5
	cpu[k, j] = $6 * 100 / $5; vif[k, j] = $7 / w; pass[k, j] = $9 / w }
END {
	split("idle|none nolimit|stock nolimit|unpatched nolimit|patched tc-police-5k|stock byte-limit-5k|stock pkt-limit-5k|patched", order, " ")
	label["idle|none"] = "idle, no guest"
	label["nolimit|stock"] = "(c) no limit"
	label["nolimit|unpatched"] = "(c) no limit"
	label["nolimit|patched"] = "(c) no limit"
	label["tc-police-5k|stock"] = "(b) tc police 5000 pkts/s, burst 250"
	label["pkt-limit-5k|patched"] = "(a) packet limit 5Kpps"
	label["byte-limit-5k|stock"] = "stock byte limit at 5000 pps of 60 B (rate=15000,50000)"
	for (i = 1; i <= 7; i++) {
		k = order[i]; if (!(k in n)) continue; split(k, h, "|")
		for (j = 1; j <= n[k]; j++) { a[j] = cpu[k, j]; b[j] = vif[k, j]; c[j] = pass[k, j] }
		s1 = st(a, n[k]); m1 = M; s2 = st(b, n[k]); s3 = st(c, n[k])
		printf "| %s | %s | %s | %s | %s |\n", label[k], h[2], s1, s2, s3
		print k, m1, MN, MX > sumf
	}
}' "$raw"
touch "$work/cpu.sum"
awk '
{ m[$1] = $2 }
END {
	a = m["pkt-limit-5k|patched"]; b = m["tc-police-5k|stock"]; i = m["idle|none"]
	if (a == "" || b == "" || b == 0) { print "\nGoal (a) ≤ 25% of (b): not measured (missing rows)."; exit }
	printf "\nGoal (a) ≤ 25%% of (b): (a)/(b) = %.1f / %.1f = %.2f → %s", a, b, a / b, (a <= 0.25 * b) ? "**met**" : "**not met**"
	if (i != "" && b - i > 0)
		printf " (above idle: %.1f / %.1f = %.2f)", a - i, b - i, (a - i) / (b - i)
	print "."
	s = m["byte-limit-5k|stock"]
	if (s != "" && s > 0)
		printf "Our packet limit against stock'"'"'s byte limit at the same rate: %.1f / %.1f = %.2f.\n", a, s, a / s
}' "$work/cpu.sum"
echo

echo "### 3. No limit: patched against stock throughput"
echo
echo "One guest floods throughout; for each measurement its vif is detached,"
echo "xen-netback swapped, and the vif attached again: stock = Debian's module,"
echo "unpatched = Debian's source without our series built out of tree exactly"
echo "as ours (scripts/build-unpatched.sh), patched = ours.  The order reverses"
echo "every round; ${cpu_secs} s per measurement after the flood is back; pps = vif rx_packets."
echo
echo "dom0 µs/pkt = dom0 CPU time over the measurement / packets at the vif: what"
echo "a packet costs dom0, whether the guest or dom0 limits the rate."
echo
case $(cat "$work/aa.txt" 2>/dev/null) in
identical)
	echo "The unpatched build and Debian's module have byte-identical \`.text\`"
	echo "(checked before the boot): stock against unpatched is an A/A pair, its"
	echo "spread is the rig's own noise."
	echo ;;
different)
	echo "The unpatched build's \`.text\` differs from Debian's module's."
	echo ;;
esac
awk -F'|' "$stats"'
# one-sided 95% t quantiles, df 1..10
BEGIN { split("6.314 2.920 2.353 2.132 2.015 1.943 1.895 1.860 1.833 1.812", T, " ")
	nm = split("stock unpatched patched", MOD, " ") }
$1 == "@@C" && $2 == "nolimit" {
	v[$3, $4] = $7 / (($10 != "" && $10 > 0) ? $10 : $5)
	if ($7 > 0) c[$3, $4] = $6 * 1e6 / $7
	have[$3] = 1
	if ($4 > nr) nr = $4
}
# bounds NAME: judge the per-round ratios in the array R (nR of them).
function bounds(name,   t, lo, hi, vv) {
	if (nR < 2) { printf "- %s: fewer than 2 rounds, not judged.\n", name; return }
	st(R, nR); t = T[(nR - 1) > 10 ? 10 : nR - 1]
	lo = M - t * SD / sqrt(nR); hi = M + t * SD / sqrt(nR)
	if (lo >= 0.98) vv = "**met**: the lower bound is at least 0.98"
	else if (hi < 0.98) vv = "**not met**: the upper bound is below 0.98"
	else vv = "**not resolved**: the bounds straddle 0.98"
	printf "- %s: per-round %.3f–%.3f, mean %.3f ± %.3f (n=%d), one-sided 95%% bounds %.3f–%.3f → %s.\n",
		name, MN, MX, M, SD, nR, lo, hi, vv
}
END {
	if (!have["stock"] || !have["patched"]) { print "Goal patched/stock ≥ 0.98: not measured."; exit }
	hdr = "| round"; sep = "|---"
	for (m = 1; m <= nm; m++) if (have[MOD[m]]) { hdr = hdr " | " MOD[m] " pps"; sep = sep "|---" }
	if (have["unpatched"]) { hdr = hdr " | patched / unpatched"; sep = sep "|---" }
	hdr = hdr " | patched / stock"; sep = sep "|---"
	for (m = 1; m <= nm; m++) if (have[MOD[m]]) { hdr = hdr " | µs/pkt " MOD[m]; sep = sep "|---" }
	print hdr " |"; print sep "|"
	# A round whose flood did not run (under half the median pps of all
	# no-limit measurements of the boot) is shown and left out.
	na = 0
	for (r = 1; r <= nr; r++) for (m = 1; m <= nm; m++)
		if (v[MOD[m], r] != "") A[++na] = v[MOD[m], r]
	for (i = 2; i <= na; i++)
		for (j = i; j > 1 && A[j - 1] > A[j]; j--) { t = A[j]; A[j] = A[j - 1]; A[j - 1] = t }
	med = na ? ((na % 2) ? A[(na + 1) / 2] : (A[na / 2] + A[na / 2 + 1]) / 2) : 0
	for (r = 1; r <= nr; r++) {
		line = "| " r; bad = 0
		for (m = 1; m <= nm; m++) {
			if (!have[MOD[m]]) continue
			x = v[MOD[m], r]
			if (x != "" && x < med / 2) bad = 1
			line = line " | " (x == "" ? "-" : sprintf("%.0f", x))
		}
		s = v["stock", r]; u = v["unpatched", r]; p = v["patched", r]
		if (bad) {
			print line " | left out: a flood under half the median (" sprintf("%.0f", med) " pps) |"
			out++; continue
		}
		for (m = 1; m <= nm; m++) {
			x = v[MOD[m], r]
			if (x != "") { nv[m]++; V[m, nv[m]] = x }
			x = c[MOD[m], r]
			if (x != "") { ncc[m]++; CC[m, ncc[m]] = x }
		}
		if (have["unpatched"]) {
			q = (u != "" && p != "" && u > 0) ? p / u : ""
			if (q != "") QU[++nqu] = q
			line = line " | " (q == "" ? "-" : sprintf("%.3f", q))
		}
		q = (s != "" && p != "" && s > 0) ? p / s : ""
		if (q != "") QS[++nqs] = q
		if (u != "" && s != "" && s > 0) QUS[++nqus] = u / s
		line = line " | " (q == "" ? "-" : sprintf("%.3f", q))
		for (m = 1; m <= nm; m++)
			if (have[MOD[m]]) line = line " | " (c[MOD[m], r] == "" ? "-" : sprintf("%.2f", c[MOD[m], r]))
		print line " |"
	}
	line = "| all"
	for (m = 1; m <= nm; m++) {
		if (!have[MOD[m]]) continue
		if (!nv[m]) { line = line " | -"; continue }
		delete B; for (j = 1; j <= nv[m]; j++) B[j] = V[m, j]
		line = line " | " st(B, nv[m]); MEAN[m] = M
	}
	if (have["unpatched"]) line = line " | " (MEAN[2] ? sprintf("%.3f (ratio of means)", MEAN[3] / MEAN[2]) : "-")
	line = line " | " (MEAN[1] ? sprintf("%.3f (ratio of means)", MEAN[3] / MEAN[1]) : "-")
	for (m = 1; m <= nm; m++) {
		if (!have[MOD[m]]) continue
		if (!ncc[m]) { line = line " | -"; continue }
		delete B; for (j = 1; j <= ncc[m]; j++) B[j] = CC[m, j]
		line = line " | " st(B, ncc[m]); CM[m] = M
	}
	print line " |"
	if (out) printf "\n%d round(s) left out as above.\n", out
	printf "\ndom0 µs per packet (means): patched / stock %.3f", (CM[1] ? CM[3] / CM[1] : 0)
	if (have["unpatched"] && CM[2]) printf ", patched / unpatched %.3f, unpatched / stock %.3f", CM[3] / CM[2], CM[2] / CM[1]
	print "."
	print ""
	print "Goal: no limit set, patched at least 0.98 of stock.  Each round pairs the"
	print "modules under the same guest: the mean of the per-round ratios is judged by"
	print "its one-sided 95% bounds."
	print ""
	if (have["unpatched"]) {
		delete R; nR = nqu; for (j = 1; j <= nqu; j++) R[j] = QU[j]
		bounds("patched / unpatched (what the series changes)")
	}
	delete R; nR = nqs; for (j = 1; j <= nqs; j++) R[j] = QS[j]
	bounds("patched / Debian stock")
	if (have["unpatched"]) {
		delete R; nR = nqus; for (j = 1; j <= nqus; j++) R[j] = QUS[j]
		bounds("unpatched / Debian stock (the same source, built out of tree, A/A control)")
	}
}' "$raw"
echo
if grep -q '^@@I|' "$raw"; then
	echo "Notes from dom0:"
	echo
	sed -n 's/^@@I|/- /p' "$raw"
fi
} >"$md"

# --- plot: pps per window, round 1, stock bytes beside patched packets ---
if command -v gnuplot >/dev/null && ls "$work/series"/*-r1.dat >/dev/null 2>&1; then
	term=png
	gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1 && term=pngcairo
	rates=$(awk '{print $3}' "$work/series.sum" | sort -nu)
	nrates=$(echo "$rates" | wc -l)
	{
		echo "set terminal $term size 1000,$((300 * nrates)) font ',10'"
		echo "set output '$png'"
		echo "set multiplot layout $nrates,1 title 'pps per ${sample_ms} ms window: stock byte limit (rate = pps x 60 B/s) vs patched packet limit, 60-byte flood, Xen under QEMU TCG'"
		echo "set grid; set key outside right top; set xlabel 'time (s)'; set ylabel 'pps in window'"
		for r in $rates; do
			echo "set title 'limit $r pps (50 ms interval, burst = $((r / 20)) packets)'"
			echo "set yrange [0:*]"
			plot="plot "
			[ -e "$work/series/stock-$r-r1.dat" ] &&
				plot+="'$work/series/stock-$r-r1.dat' u 1:2 w l lw 1.5 lc rgb '#d62728' t 'stock, byte limit', "
			[ -e "$work/series/patched-$r-r1.dat" ] &&
				plot+="'$work/series/patched-$r-r1.dat' u 1:2 w l lw 1.5 lc rgb '#1f77b4' t 'patched, packet limit', "
			plot+="$r w l dt 2 lc rgb 'black' t 'limit', "
			plot+="$((r * 3 / 2)) w l dt 3 lc rgb 'gray40' t 'bound, 100 ms window'"
			echo "$plot"
		done
		echo "unset multiplot"
	} >"$work/accuracy.gp"
	gnuplot "$work/accuracy.gp" || echo "gnuplot failed; see $work/accuracy.gp" >&2
else
	echo "no plot: gnuplot or round-1 series missing" >&2
fi
