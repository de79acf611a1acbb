#!/bin/sh
# yield.sh - `make bench`'s throughput of imcsim yield on 1 and 2 MPI ranks,
# without and with chip-in-the-loop, measured in the same run:
#
#   bench yield_ranks1 chips=<n> wall_s=<s> chips_per_min_per_core=<r>
#   bench yield_ranks2 chips=<n> wall_s=<s> chips_per_min_per_core=<r> \
#         speedup=<wall1/wall2> identical=yes
#   bench yield_cil_ranks1 ... / bench yield_cil_ranks2 ... (the same with
#         --cil, fewer chips)
#
# wall_s is the whole command (start-up, data, the instances), the best of
# BENCH_RUNS runs (default 1); a core is a rank. The net is trained once
# beforehand (imcsim train), so the figures are the instances' cost. The two
# rank counts must write byte-identical JSON, or the script fails.
# usage: yield.sh IMCSIM MPIRUN   (MPIRUN "no": ranks2 lines say NA)
# environment: BENCH_YIELD_CHIPS (default 200, the issue's acceptance
#              size), BENCH_YIELD_CIL_CHIPS (10),
#              BENCH_RUNS, IMCSIM_MNIST_DIR as for the program. Without the
#              digits the four lines say NA and why, and make bench goes on.
set -u
imcsim=${1:?usage: yield.sh IMCSIM MPIRUN}
mpirun=${2:-no}
chips=${BENCH_YIELD_CHIPS:-200}
cil_chips=${BENCH_YIELD_CIL_CHIPS:-10}
runs=${BENCH_RUNS:-1}
case $imcsim in /*) ;; *) imcsim=$(pwd)/$imcsim ;; esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/imcsim-bench-yield.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
	OMPI_MCA_rmaps_base_oversubscribe

die() {
	echo "bench: error: $*" >&2
	exit 1
}

now() {
	date +%s.%N
}

if ! "$imcsim" train --quiet --out "$dir/net.txt" >/dev/null \
	2>"$dir/train.err"; then
	# without the digits the other benches still run: say why, go on
	if grep -q "no MNIST digits" "$dir/train.err"; then
		for l in yield_ranks1 yield_ranks2 yield_cil_ranks1 \
			yield_cil_ranks2; do
			echo "bench $l NA (no MNIST digits: imcsim fetch-data," \
				"or IMCSIM_MNIST_DIR)"
		done
		exit 0
	fi
	cat "$dir/train.err" >&2
	die "imcsim train failed"
fi

# run NAME RANKS CHIPS [yield options]: best wall time into $best
run() {
	name=$1 ranks=$2 n=$3
	shift 3
	best=
	k=0
	while [ "$k" -lt "$runs" ]; do
		mkdir -p "$dir/$name"
		t0=$(now)
		if [ "$ranks" = 0 ]; then
			(cd "$dir/$name" && "$imcsim" yield --quiet \
				--net ../net.txt --chips "$n" --json y.json \
				"$@" >/dev/null) || die "$name failed"
		else
			(cd "$dir/$name" && "$mpirun" -n "$ranks" "$imcsim" \
				yield --quiet --net ../net.txt --chips "$n" \
				--json y.json "$@" >/dev/null) ||
				die "$name failed"
		fi
		t1=$(now)
		best=$(echo "$t0 $t1 $best" | awk '{ t = $2 - $1;
			if ($3 != "" && $3 < t) t = $3; printf "%.2f", t }')
		k=$((k + 1))
	done
}

# pair LABEL CHIPS [options]: 1 rank, then 2, then the two lines
pair() {
	label=$1 n=$2
	shift 2
	if [ "$mpirun" = no ]; then
		run "${label}1" 0 "$n" "$@"
		w1=$best
		echo "bench ${label}1 chips=$n wall_s=$w1" \
			"chips_per_min_per_core=$(echo "$n $w1" |
				awk '{ printf "%.1f", 60 * $1 / $2 }')"
		echo "bench ${label}2 chips=$n wall_s=NA" \
			"chips_per_min_per_core=NA speedup=NA (no MPI)"
		return
	fi
	run "${label}1" 1 "$n" "$@"
	w1=$best
	run "${label}2" 2 "$n" "$@"
	w2=$best
	cmp -s "$dir/${label}1/y.json" "$dir/${label}2/y.json" ||
		die "$label: 1 and 2 ranks wrote different JSON"
	echo "bench ${label}1 chips=$n wall_s=$w1" \
		"chips_per_min_per_core=$(echo "$n $w1" |
			awk '{ printf "%.1f", 60 * $1 / $2 }')"
	echo "bench ${label}2 chips=$n wall_s=$w2" \
		"chips_per_min_per_core=$(echo "$n $w2" |
			awk '{ printf "%.1f", 30 * $1 / $2 }')" \
		"speedup=$(echo "$w1 $w2" | awk '{ printf "%.2f", $1 / $2 }')" \
		"identical=yes"
}

pair yield_ranks "$chips" --spec 88
pair yield_cil_ranks "$cil_chips" --spec 88 --cil
