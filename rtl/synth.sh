#!/bin/sh
# synth.sh - lint and synthesize rtl/comp_ctrl.v; prints the cell count.
#
#   rtl/synth.sh                 # defaults NCOL=128 NROW=32
#   NCOL=96 NROW=32 rtl/synth.sh
#
# Steps: verilator --lint-only -Wall (must be clean), iverilog -g2005 (a
# strict Verilog-2005 parse, skipped if iverilog is absent), then yosys
# "synth -top comp_ctrl; stat" (generic gate library, no technology
# mapping). The yosys log goes to ${TMPDIR:-/tmp}/comp_ctrl_synth.log.
# Needs: verilator, yosys (apt-get install verilator yosys iverilog).
# Exit: 0 clean, 1 a lint/synthesis problem, 2 a missing tool.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$here/comp_ctrl.v
ncol=${NCOL:-128}
nrow=${NROW:-32}
log=${TMPDIR:-/tmp}/comp_ctrl_synth.log

for tool in verilator yosys; do
	command -v $tool >/dev/null 2>&1 || {
		echo "synth.sh: $tool not found" >&2
		exit 2
	}
done

echo "lint:  verilator --lint-only -Wall -GNCOL=$ncol -GNROW=$nrow"
verilator --lint-only -Wall -GNCOL="$ncol" -GNROW="$nrow" "$src" || exit 1
if command -v iverilog >/dev/null 2>&1; then
	echo "parse: iverilog -g2005"
	# "@* is sensitive to all words" is a note on the OR-reduction loop.
	out=$(iverilog -g2005 -Wall -Pcomp_ctrl.NCOL="$ncol" \
		-Pcomp_ctrl.NROW="$nrow" -o /dev/null "$src" 2>&1) || {
		printf '%s\n' "$out"
		exit 1
	}
	printf '%s\n' "$out" | grep -v 'sensitive to all' | grep . && exit 1
fi

# Defaults: exactly "read_verilog; synth -top comp_ctrl; stat" (a chparam,
# even to the default values, renames the module and moves ABC's result by
# a few tenths of a percent).
setp=
if [ -n "${NCOL:-}${NROW:-}" ]; then
	setp="chparam -set NCOL $ncol -set NROW $nrow comp_ctrl;"
fi
echo "synth: yosys synth -top comp_ctrl (log: $log)"
yosys -l "$log" -q -p "read_verilog $src; $setp
	synth -top comp_ctrl; check -assert; tee -o $log.stat stat" \
	>/dev/null 2>&1 || {
	echo "synth.sh: yosys failed, see $log" >&2
	exit 1
}
cells=$(sed -n 's/^ *Number of cells: *//p' "$log.stat" | tail -n 1)
ffs=$(grep -E '_S?DFFE?_' "$log.stat" | awk '{s += $2} END {print s + 0}')
echo "comp_ctrl NCOL=$ncol NROW=$nrow: $cells cells ($ffs flip-flops)"
rm -f "$log.stat"
