#!/bin/sh
# cosim.sh - co-simulate rtl/comp_ctrl.v against the C golden model for
# each built shape (default 128x32, odd 70x64): open loop (every scenario),
# then closed loop (the RTL calibrates COSIM_CHIPS chip models, default 50).
# Run from the build directory (make check / make cosim do). Extra
# open-loop options come from COSIM_ARGS (e.g. "--runs 8 --cycles 100000").
# Exit: 0 all matched, 1 a mismatch (VCDs in waves/), 99 a hard error.
set -u
mkdir -p waves || exit 99
rc=0
for v in cosim shape; do
	bin=tb/obj_dir/$v/cosim
	if [ ! -x "$bin" ]; then
		echo "cosim.sh: $bin not built (make cosim)" >&2
		exit 99
	fi
	for mode in open closed; do
		if [ $mode = open ]; then
			# shellcheck disable=SC2086 # a word list on purpose
			"$bin" --waves "waves/cosim_$v" ${COSIM_ARGS:-}
		else
			"$bin" --waves "waves/cosim_${v}_closed" \
				--closed "${COSIM_CHIPS:-50}"
		fi
		case $? in
		0) ;;
		1) rc=1 ;;
		*) exit 99 ;;
		esac
	done
done
exit $rc
