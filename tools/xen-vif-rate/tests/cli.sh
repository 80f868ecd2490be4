#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Command line tests of xen-vif-rate that need no xenstore: parse output
# and exit codes, usage errors, and the "no xenstore" error path.
# Usage: cli.sh BINARY
bin=$1
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Make sure no real xenstore is reached, whatever the host has.
XENSTORED_PATH=$tmp/no-such-socket
export XENSTORED_PATH

# t NAME EXPECTED_RC EXPECTED_STDOUT STDERR_REGEX -- ARGS...
t() {
	name=$1 rc=$2 out=$3 errre=$4
	shift 5
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ -z "$errre" ]; then
		[ ! -s "$tmp/err" ]
	else
		grep -Eq "$errre" "$tmp/err"
	fi
	errok=$?
	if [ "$got" = "$rc" ] && [ "$(cat "$tmp/out")" = "$out" ] &&
	   [ $errok = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: rc $got (want $rc)"
		echo "  stdout: $(cat "$tmp/out")"
		echo "  stderr: $(cat "$tmp/err")"
	fi
}

nl='
'
t "parse bytes" 0 "rate=25000,20000" "" -- parse 10Mb/s@20ms
t "parse both" 0 "rate=25000,20000${nl}rate-packets=400,20000" "" -- \
	parse '10Mb/s&20Kpps@20ms'
t "parse packets only" 0 "rate-packets=20,1000,500" "" -- \
	parse '20Kpps:500@1ms'
t "parse 1GB/s" 0 "rate=50000000,50000" "" -- parse 1GB/s
t "parse zero bytes warns" 0 "rate=0,50000" "warning: .*0 bytes" -- \
	parse 1B/s
t "parse octal interval warns" 0 "rate=10000,8000" \
	"warning: '010' in '10Mb/s@010ms' starts with 0 and is read as octal" -- \
	parse 10Mb/s@010ms
t "parse octal rate warns, stops at 8" 0 "rate=0,50000" \
	"warning: '0108' in '0108B/s' starts with 0" -- parse 0108B/s
t "parse packet interval with a leading zero" 2 "" \
	"packet interval with a leading zero" -- parse 20Kpps@010ms
t "set octal warns before xenstore" 1 "" \
	"warning: '010' in '10Mb/s@010ms' starts with 0" -- \
	set 1 0 10Mb/s@010ms
t "parse invalid" 2 "" "invalid rate '0B/s'" -- parse 0B/s
t "parse overflow" 2 "" "invalid rate" -- parse 4294967296Kb/s
t "parse rounds to 0 packets" 2 "" "0 packets" -- parse 1pps@1ms
t "parse no spec" 2 "" "usage" -- parse
t "parse two specs" 2 "" "usage" -- parse 1GB/s 1GB/s
t "no command" 2 "" "usage" --
t "bad command" 2 "" "usage" -- frob
t "help" 0 "$("$bin" --help 2>/dev/null)" "" -- -h
# Any other non-empty DOMID is a name, matched exactly (libxl requires no
# more of a name than to be unique).
t "set a name with a slash needs xenstore" 1 "" \
	"cannot connect to xenstore" -- set a/b 0 1GB/s
t "set a name with a space needs xenstore" 1 "" \
	"cannot connect to xenstore" -- set 'a b' 0 1GB/s
t "set a name of 64 characters needs xenstore" 1 "" \
	"cannot connect to xenstore" -- \
	set "$(printf '%064d' 0 | tr 0 n)" 0 1GB/s
t "set domain name needs xenstore" 1 "" "cannot connect to xenstore" -- \
	set guest1 0 1GB/s
t "set domid reserved" 2 "" "invalid DOMID" -- set 32752 0 1GB/s
t "set domid leading zero is a number, as for xl" 1 "" \
	"cannot connect to xenstore" -- set 01 0 1GB/s
t "set domid 0000032752 reserved" 2 "" "invalid DOMID '0000032752'" -- \
	set 0000032752 0 1GB/s
t "set name starting with a digit" 1 "" "cannot connect to xenstore" -- \
	set 1web 0 1GB/s
t "set zero bytes refused" 2 "" "rounds to 0 bytes per 1000 us" -- \
	set 1 0 1B/s@1ms
t "set bad devid" 2 "" "invalid DEVID" -- set 1 -1 1GB/s
t "set devid with leading zeros, read with atoi() by xl" 1 "" \
	"cannot connect to xenstore" -- set 1 007 1GB/s
t "set bad spec" 2 "" "invalid rate" -- set 1 0 1GB
t "set missing spec" 2 "" "usage" -- set 1 0
t "show extra arg" 2 "" "unknown option '--yaml'" -- show 1 0 --yaml
t "show extra operand" 2 "" "usage" -- show 1 0 2
# --version and --help alone: exit 0, nothing on stderr, and the text
# they must print; then the same text wherever the option stands.
ver=$("$bin" --version 2>"$tmp/err")
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ] &&
   printf '%s\n' "$ver" | grep -Eqx 'xen-vif-rate [0-9]+\.[0-9]+( \(libxl\))?'; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL version: rc $rc, stdout '$ver', stderr '$(cat "$tmp/err")'"
fi
help=$("$bin" --help 2>"$tmp/err")
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ] &&
   printf '%s\n' "$help" | grep -q '^usage: xen-vif-rate parse SPEC$' &&
   printf '%s\n' "$help" | grep -q 'xen-vif-rate show DOMID DEVID'; then
	pass=$((pass + 1))
else
	fail=$((fail + 1)); echo "FAIL help: rc $rc, stdout '$help', stderr '$(cat "$tmp/err")'"
fi
t "version after a command" 0 "$ver" "" -- show 1 0 --version
t "help anywhere" 0 "$help" "" -- set 1 --help
t "json with set" 2 "" "json only applies to show" -- set 1 0 --json 1GB/s
t "-- ends options" 2 "" "usage" -- show -- 1 0 --json
t "clear bad what" 2 "" "expected bytes, packets or all" -- clear 1 0 some
t "set no xenstore" 1 "" "cannot connect to xenstore" -- set 1 0 10Mb/s
t "show no xenstore" 1 "" "cannot connect to xenstore" -- show 1 0
t "show json no xenstore" 1 "" "cannot connect to xenstore" -- \
	show 1 0 --json
t "show --json first" 1 "" "cannot connect to xenstore" -- \
	show --json 1 0
t "--json before the command" 1 "" "cannot connect to xenstore" -- \
	--json show 1 0
t "clear no xenstore" 1 "" "cannot connect to xenstore" -- clear 1 0
t "clear packets no xenstore" 1 "" "cannot connect to xenstore" -- \
	clear 1 0 packets

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
