#!/bin/sh
# run.sh - the driver of `make bench`: runs the imcsim and SystemC programs on
# every scenario, checks that they agree, and prints one line per scenario:
#
#   bench <name> imcsim_s=<seconds> systemc_s=<seconds> speedup=<systemc/imcsim>
#
# plus, after pipeline_vcd, the tracing overhead and VCD sizes:
#
#   bench pipeline_vcd_overhead imcsim_ratio=<traced/untraced> \
#         systemc_ratio=<traced/untraced> imcsim_vcd_bytes=<n> \
#         systemc_vcd_bytes=<n>
#
# and where imcsim's traced time goes: user and system CPU of the best
# traced run, the system CPU of plain write(2) of as many bytes into the
# same directory (the kernel's page-cache copy, which any writer pays),
# the traced user CPU over the untraced run, and the cost per value change
# in total and in user CPU (bench_kernel counts the changes it reads back):
#
#   bench pipeline_vcd_split imcsim_user_s=<s> imcsim_sys_s=<s> \
#         write_floor_sys_s=<s> user_ratio=<traced user/untraced> \
#         ns_per_change=<ns> user_ns_per_change=<ns> trace_dir=<dir>
#
# and, with VERILATOR_VCD_PROGRAM (the ring compiled with --trace), the
# same per-change costs for Verilator's own VCD writer, into the same
# directory:
#
#   bench pipeline_vcd_verilator imcsim_ns_per_change=<ns> \
#         verilator_ns_per_change=<ns> imcsim_user_ns_per_change=<ns> \
#         verilator_user_ns_per_change=<ns> verilator_ratio=<traced/untraced>
#
# pipeline_fst runs the imcsim side only (SystemC writes no FST): the
# pipeline traced to FST through GTKWave's fstapi (its parallel mode:
# compression in fstapi's own thread), against the same pipeline untraced,
# in wall and CPU time (CPU counts fstapi's thread too):
#
#   bench pipeline_fst imcsim_s=<wall> ratio=<traced/untraced wall> \
#         imcsim_cpu_s=<cpu> cpu_ratio=<traced/untraced cpu> fst_bytes=<n>
#
# (NA everywhere if the library was built without fstapi.c).
#
# pipeline_growth runs the pipeline at 100, 1,000 and 10,000 registers
# (BENCH_GROWTH_REGS) with cycles*regs held at BENCH_GROWTH_ACTS
# (default 20,000,000 activations), one line per size:
#
#   bench pipeline_growth regs=<n> imcsim_ns_per_act=<ns> \
#         systemc_ns_per_act=<ns> speedup=<systemc/imcsim>
#
# pipeline_verilator runs the same 1000-register pipeline compiled by
# Verilator (bench_ring.v + bench_verilator.cpp, VERILATOR_PROGRAM below),
# whose checksum must equal imcsim's:
#
#   bench pipeline_verilator imcsim_s=<s> verilator_s=<s> \
#         ratio=<imcsim/verilator>
#
# (verilator_s=NA ratio=NA without Verilator).
#
# Each time is the BEST (minimum) of BENCH_RUNS runs (default 3): on a shared
# machine noise only ever adds time. Every run's checksum must equal every
# other run's, across both kernels, or the script stops with status 1.
#
# usage: run.sh KERNEL_PROGRAM [SYSTEMC_PROGRAM [VERILATOR_PROGRAM
#                [VERILATOR_VCD_PROGRAM]]]
#   no SYSTEMC_PROGRAM (SystemC not installed, or ""): systemc_s=NA,
#   speedup=NA; no VERILATOR_PROGRAM: verilator_s=NA (and no
#   VERILATOR_VCD_PROGRAM: the pipeline_vcd_verilator line says NA).
# environment:
#   BENCH_RUNS       runs per program and scenario (default 3)
#   BENCH_SCENARIOS  scenarios to run (default: all four, in order)
#   BENCH_SIZE       size override passed to both programs (quick checks:
#                    cycles, delta cycles, or notifications per event)
#   BENCH_CLOCK      wall (default: CLOCK_MONOTONIC around the run) or cpu
#                    (process CPU time, user + system: steadier when other
#                    jobs share the machine)
#   BENCH_TRACE_DIR  where pipeline_vcd and pipeline_fst write their files
#                    (default: /dev/shm if it is writable with 6 GB free,
#                    else $TMPDIR or /tmp; bench/README.md says why)
set -u

kernel=${1:?usage: run.sh KERNEL_PROGRAM [SYSTEMC_PROGRAM]}
systemc=${2:-}
verilator=${3:-}
verilator_vcd=${4:-}
runs=${BENCH_RUNS:-3}
scenarios=${BENCH_SCENARIOS:-pipeline delta_pingpong timed_events pipeline_vcd thread_wait pipeline_fst pipeline_growth pipeline_verilator}
growth_regs=${BENCH_GROWTH_REGS:-100 1000 10000}
growth_acts=${BENCH_GROWTH_ACTS:-20000000}
size=${BENCH_SIZE:-}
case ${BENCH_CLOCK:-wall} in
wall) tfield=elapsed_s ;;
cpu) tfield=cpu_s ;;
*) echo "bench: error: BENCH_CLOCK must be wall or cpu" >&2; exit 1 ;;
esac

SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE

# Both programs put their traces under $TMPDIR. A tmpfs takes the disk,
# the journal and other jobs' writeback out of the traced time; what is
# left is the writer and the kernel's copy into the page cache.
if [ -n "${BENCH_TRACE_DIR:-}" ]; then
	trace_dir=$BENCH_TRACE_DIR
elif [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" \
		-ge 6000000 ] 2>/dev/null; then
	trace_dir=/dev/shm
else
	trace_dir=${TMPDIR:-/tmp}
fi
TMPDIR=$trace_dir
export TMPDIR

die() {
	echo "bench: error: $*" >&2
	exit 1
}

# field NAME LINE: the value of NAME=... in a result line.
field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# measure PROGRAM SCENARIO [ARGS]: run BENCH_RUNS times (with ARGS, else
# BENCH_SIZE); sets best_s, sum, bytes, and best_user, best_sys, changes
# of the best run.
measure() {
	best_s=
	best_user=NA
	best_sys=NA
	changes=NA
	sum=
	bytes=
	margs=${3:-$size}
	i=0
	while [ "$i" -lt "$runs" ]; do
		i=$((i + 1))
		out=$("$1" "$2" $margs) ||
			die "$1 $2 $margs failed (exit status $?)"
		line=$(printf '%s\n' "$out" | grep '^result ') ||
			die "$1 $2 printed no result line"
		s=$(field $tfield "$line")
		c=$(field checksum "$line")
		[ -n "$s" ] && [ -n "$c" ] || die "$1 $2: bad line: $line"
		[ -z "$sum" ] || [ "$sum" = "$c" ] ||
			die "$1 $2: checksum $c differs from $sum on an earlier run"
		sum=$c
		bytes=$(field vcd_bytes "$line")
		if awk -v a="$s" -v b="$best_s" \
			'BEGIN { exit !(b == "" || a + 0 < b + 0) }'; then
			best_s=$s
			best_user=$(field user_s "$line")
			best_sys=$(field sys_s "$line")
			changes=$(field changes "$line")
			: "${best_user:=NA}" "${best_sys:=NA}" "${changes:=NA}"
		fi
	done
}

# measure_both PROGRAM SCENARIO: like measure, for both clocks; sets
# best_wall, best_cpu, bytes; skipped=1 if the program skips the scenario.
measure_both() {
	best_wall=
	best_cpu=
	bytes=
	skipped=0
	i=0
	while [ "$i" -lt "$runs" ]; do
		i=$((i + 1))
		out=$("$1" "$2" $size) ||
			die "$1 $2 failed (exit status $?)"
		if printf '%s\n' "$out" | grep -q '^skip '; then
			skipped=1
			return
		fi
		line=$(printf '%s\n' "$out" | grep '^result ') ||
			die "$1 $2 printed no result line"
		w=$(field elapsed_s "$line")
		c=$(field cpu_s "$line")
		bytes=$(field vcd_bytes "$line")
		best_wall=$(awk -v a="$w" -v b="$best_wall" \
			'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
		best_cpu=$(awk -v a="$c" -v b="$best_cpu" \
			'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
	done
}

# ratio A B: A/B with 2 decimals, NA if either is NA.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "NA" || b == "NA" || b + 0 <= 0) print "NA";
		else printf "%.2f\n", a / b }'
}

# per_change TRACED UNTRACED N: (TRACED - UNTRACED) * 1e9 / N, 1 decimal.
per_change() {
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {
		if (a == "NA" || b == "NA" || n == "NA" || n + 0 <= 0)
			print "NA";
		else printf "%.1f\n", (a - b) * 1e9 / n }'
}

# per_act SECONDS N: nanoseconds per activation, 2 decimals, NA if NA.
per_act() {
	awk -v s="$1" -v n="$2" 'BEGIN {
		if (s == "NA") print "NA"; else printf "%.2f\n", s * 1e9 / n }'
}

[ -x "$kernel" ] || die "no kernel program $kernel"
[ -z "$systemc" ] || [ -x "$systemc" ] || die "no SystemC program $systemc"
[ -z "$verilator" ] || [ -x "$verilator" ] ||
	die "no Verilator program $verilator"
[ -z "$verilator_vcd" ] || [ -x "$verilator_vcd" ] ||
	die "no Verilator VCD program $verilator_vcd"
[ "$runs" -ge 1 ] 2>/dev/null || die "BENCH_RUNS must be a positive integer"

echo "# imcsim vs SystemC: best of $runs runs each;" \
	"times in seconds (${BENCH_CLOCK:-wall} clock)"
pipe_k=NA
pipe_s=NA
for scen in $scenarios; do
	if [ "$scen" = pipeline_growth ]; then
		for regs in $growth_regs; do
			cyc=$((growth_acts / regs))
			[ "$cyc" -ge 1 ] || die "BENCH_GROWTH_ACTS below $regs"
			measure "$kernel" pipeline "$cyc $regs"
			k_s=$best_s
			k_sum=$sum
			s_s=NA
			if [ -n "$systemc" ]; then
				measure "$systemc" pipeline "$cyc $regs"
				s_s=$best_s
				[ "$sum" = "$k_sum" ] ||
					die "pipeline_growth regs=$regs: checksums differ: imcsim $k_sum, SystemC $sum"
			fi
			acts=$((cyc * regs))
			echo "bench pipeline_growth regs=$regs" \
				"imcsim_ns_per_act=$(per_act "$k_s" "$acts")" \
				"systemc_ns_per_act=$(per_act "$s_s" "$acts")" \
				"speedup=$(ratio "$s_s" "$k_s")"
		done
		continue
	fi
	if [ "$scen" = pipeline_verilator ]; then
		measure "$kernel" pipeline
		k_s=$best_s
		k_sum=$sum
		v_s=NA
		if [ -n "$verilator" ]; then
			measure "$verilator" pipeline
			v_s=$best_s
			[ "$sum" = "$k_sum" ] ||
				die "pipeline_verilator: checksums differ: imcsim $k_sum, Verilator $sum"
		fi
		echo "bench pipeline_verilator imcsim_s=$k_s verilator_s=$v_s" \
			"ratio=$(ratio "$k_s" "$v_s")"
		continue
	fi
	if [ "$scen" = pipeline_fst ]; then
		measure_both "$kernel" pipeline_fst
		if [ "$skipped" = 1 ]; then
			echo "bench pipeline_fst imcsim_s=NA ratio=NA" \
				"imcsim_cpu_s=NA cpu_ratio=NA fst_bytes=NA"
			continue
		fi
		f_wall=$best_wall
		f_cpu=$best_cpu
		f_bytes=$bytes
		measure_both "$kernel" pipeline
		echo "bench pipeline_fst imcsim_s=$f_wall" \
			"ratio=$(ratio "$f_wall" "$best_wall")" \
			"imcsim_cpu_s=$f_cpu" \
			"cpu_ratio=$(ratio "$f_cpu" "$best_cpu")" \
			"fst_bytes=${f_bytes:-NA}"
		continue
	fi
	measure "$kernel" "$scen"
	k_s=$best_s
	k_sum=$sum
	k_bytes=$bytes
	k_user=$best_user
	k_sys=$best_sys
	k_changes=$changes
	s_s=NA
	s_bytes=NA
	if [ -n "$systemc" ]; then
		measure "$systemc" "$scen"
		s_s=$best_s
		s_bytes=$bytes
		[ "$sum" = "$k_sum" ] ||
			die "$scen: checksums differ: imcsim $k_sum, SystemC $sum"
	fi
	echo "bench $scen imcsim_s=$k_s systemc_s=$s_s speedup=$(ratio "$s_s" "$k_s")"
	case $scen in
	pipeline)
		pipe_k=$k_s
		pipe_s=$s_s
		;;
	pipeline_vcd)
		echo "bench pipeline_vcd_overhead" \
			"imcsim_ratio=$(ratio "$k_s" "$pipe_k")" \
			"systemc_ratio=$(ratio "$s_s" "$pipe_s")" \
			"imcsim_vcd_bytes=${k_bytes:-NA}" \
			"systemc_vcd_bytes=${s_bytes:-NA}"
		v_user=$k_user
		v_sys=$k_sys
		v_changes=$k_changes
		floor_sys=NA
		if [ -n "$k_bytes" ]; then
			measure "$kernel" write_floor "$k_bytes"
			floor_sys=$best_sys
		fi
		echo "bench pipeline_vcd_split imcsim_user_s=$v_user" \
			"imcsim_sys_s=$v_sys write_floor_sys_s=$floor_sys" \
			"user_ratio=$(ratio "$v_user" "$pipe_k")" \
			"ns_per_change=$(per_change "$k_s" "$pipe_k" "$v_changes")" \
			"user_ns_per_change=$(per_change "$v_user" "$pipe_k" "$v_changes")" \
			"trace_dir=$trace_dir"
		vl_ns=NA
		vl_user_ns=NA
		vl_ratio=NA
		if [ -n "$verilator" ] && [ -n "$verilator_vcd" ]; then
			measure "$verilator" pipeline
			vl_plain=$best_s
			[ "$sum" = "$k_sum" ] ||
				die "pipeline_vcd_verilator: checksums differ: imcsim $k_sum, Verilator $sum"
			measure "$verilator_vcd" pipeline_vcd
			[ "$sum" = "$k_sum" ] ||
				die "pipeline_vcd_verilator: checksums differ: imcsim $k_sum, traced Verilator $sum"
			vl_ns=$(per_change "$best_s" "$vl_plain" "$changes")
			vl_user_ns=$(per_change "$best_user" "$vl_plain" "$changes")
			vl_ratio=$(ratio "$best_s" "$vl_plain")
		fi
		echo "bench pipeline_vcd_verilator" \
			"imcsim_ns_per_change=$(per_change "$k_s" "$pipe_k" "$v_changes")" \
			"verilator_ns_per_change=$vl_ns" \
			"imcsim_user_ns_per_change=$(per_change "$v_user" "$pipe_k" "$v_changes")" \
			"verilator_user_ns_per_change=$vl_user_ns" \
			"verilator_ratio=$vl_ratio"
		;;
	esac
done
