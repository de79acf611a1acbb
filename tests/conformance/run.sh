#!/bin/sh
# run.sh - the SystemC conformance suite: every scenario runs once on
# imcsim (conf_imcsim) and once on SystemC 2.3.4 (conf_systemc); their
# traces must hold the same lines per (time, delta). Order inside one delta
# is implementation-defined in SystemC, so each trace is compared as a
# sorted multiset of its "t=... d=..." lines (every line carries its time
# and delta, so this is a per-(time, delta) comparison). imcsim's own
# documented orders are asserted by tests/test_kernel*.c.
#
# usage: run.sh [CONF_IMCSIM [CONF_SYSTEMC]]
#   defaults: tests/conformance/conf_imcsim and .../conf_systemc under the
#   current directory (where `make check` runs it). Without CONF_SYSTEMC
#   (configure found no SystemC) the suite is skipped
#   (exit 77, automake's SKIP). Exit 1 if any scenario differs, and the
#   closing line "N passed, N failed" counts the scenarios.
set -u
c=${1:-tests/conformance/conf_imcsim}
sc=${2:-tests/conformance/conf_systemc}
[ -x "$c" ] || { echo "conformance: no program $c" >&2; exit 1; }
if [ -z "$sc" ] || [ ! -x "$sc" ]; then
	echo "conformance: SystemC (libsystemc-dev) not found by configure:" \
		"suite skipped"
	exit 77
fi
SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE
tmp=${TMPDIR:-/tmp}/conformance.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
c_list=$("$c" --list) || exit 1
sc_list=$("$sc" --list) || exit 1
if [ "$c_list" != "$sc_list" ]; then
	echo "conformance: the two programs list different scenarios" >&2
	exit 1
fi
for s in $c_list; do
	# SystemC prints warnings and info reports too: keep trace lines
	"$c" "$s" >"$tmp/c.raw" 2>"$tmp/c.err" || {
		echo "FAIL $s: conf_imcsim exited $?:"; cat "$tmp/c.err"
		fail=$((fail + 1)); continue; }
	"$sc" "$s" >"$tmp/sc.raw" 2>&1 || {
		echo "FAIL $s: conf_systemc exited $?"; fail=$((fail + 1))
		continue; }
	grep '^t=' "$tmp/c.raw" | LC_ALL=C sort >"$tmp/c"
	grep '^t=' "$tmp/sc.raw" | LC_ALL=C sort >"$tmp/sc"
	if [ ! -s "$tmp/sc" ]; then
		echo "FAIL $s: SystemC printed no trace"; fail=$((fail + 1))
	elif cmp -s "$tmp/c" "$tmp/sc"; then
		echo "ok   $s ($(wc -l <"$tmp/c") lines)"
		pass=$((pass + 1))
	else
		echo "FAIL $s: traces differ (< imcsim, > SystemC):"
		diff "$tmp/c" "$tmp/sc" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
