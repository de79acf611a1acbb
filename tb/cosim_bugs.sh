#!/bin/sh
# cosim_bugs.sh - prove the co-simulation can fail: every deliberately
# broken RTL variant (comp_ctrl.v with BUG=n, see doc/rtl.md) must be caught
# with a MISMATCH report and both waveforms (RTL and golden model) written;
# the bugs that change a plain calibration must fail the closed loop too
# (all but 6, 7 and 9, which need a start pulse, a reset or an op_we
# mid-run, and 11, which needs every column to decide +1 at the final half
# step).
# Run from the build directory. Exit: 0 every bug caught, 1 one escaped,
# 99 a hard error.
set -u
mkdir -p waves || exit 99
rc=0
for n in 1 2 3 4 5 6 7 8 9 10 11; do
	bin=tb/obj_dir/bug$n/cosim
	if [ ! -x "$bin" ]; then
		echo "cosim_bugs.sh: $bin not built (make cosim)" >&2
		exit 99
	fi
	wv=waves/cosim_bug$n
	rm -f "${wv}_rtl.vcd" "${wv}_gold.vcd"
	out=$("$bin" --quiet --waves "$wv" 2>&1)
	st=$?
	first=$(printf '%s\n' "$out" | grep -m1 -E 'MISMATCH|PROPERTY')
	if [ $st -ne 1 ] || [ -z "$first" ]; then
		echo "bug $n: NOT caught (exit $st)"
		printf '%s\n' "$out" | tail -n 5
		rc=1
		continue
	fi
	# Both dumps must exist and name the controller's signals alike.
	for f in "${wv}_rtl.vcd" "${wv}_gold.vcd"; do
		if ! grep -q 'dirty_q' "$f" 2>/dev/null ||
		   ! grep -q '^#' "$f"; then
			echo "bug $n: caught but $f missing or empty"
			rc=1
		fi
	done
	echo "bug $n: caught: ${first#cosim: }"
	case $n in 6|7|9|11) continue ;; esac
	"$bin" --quiet --closed 3 --waves "${wv}_closed" >/dev/null 2>&1
	st=$?
	if [ $st -ne 1 ]; then
		echo "bug $n: NOT caught by the closed loop (exit $st)"
		rc=1
	fi
done
exit $rc
