#!/usr/bin/env bash
# fp-identity.sh - results must not depend on the compiler or -march.
#
#   .ci/fp-identity.sh [REF_BUILD] [OTHER_BUILD]
#
# Builds imcsim a second time (OTHER_BUILD, default ./build-fp) with clang
# -O2 -march=native when clang is there, else gcc -O3 -march=native, runs
# one small demo with both builds (REF_BUILD default ./build) and fails
# unless the JSON results are byte-identical. The project compiles with
# -ffp-contract=off (Makefile.am) so no build contracts a*b+c into a fused
# multiply-add, which would change rounding and so every accuracy.
# Exit status: 0 identical, 1 different or a build failed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:-$here/build}
other=${2:-$here/build-fp}
if command -v clang >/dev/null 2>&1; then
	cc=clang flags="-O2 -march=native"
else
	cc=gcc flags="-O3 -march=native"
fi
mkdir -p "$other"
log="$other/fp-identity.log"
(cd "$other" && "$here/configure" CC="$cc" CFLAGS="$flags" >"$log" 2>&1 &&
	make -j"${FP_JOBS:-2}" imcsim >>"$log" 2>&1) || {
	tail -n 40 "$log"
	echo "fp-identity: the $cc $flags build failed (log: $log)" >&2
	exit 1
}
small=(--quiet --set data.train_images=2000 --set data.test_images=300
	--set train.epochs=2 --set system.chip_seeds=1
	--set train.cil_epochs=1)
# --json -: the command lines (recorded in the JSON) are the same
"$ref/imcsim" demo "${small[@]}" --json - 2>/dev/null >"$other/ref.json"
"$other/imcsim" demo "${small[@]}" --json - 2>/dev/null >"$other/other.json"
if ! cmp -s "$other/ref.json" "$other/other.json"; then
	diff "$other/ref.json" "$other/other.json" | head -n 20
	echo "fp-identity: $cc $flags gives other results than $ref" >&2
	exit 1
fi
echo "fp-identity: $cc $flags and $ref give byte-identical demo JSON"
