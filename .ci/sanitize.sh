#!/usr/bin/env bash
# sanitize.sh - build imcsim with AddressSanitizer and UndefinedBehavior-
# Sanitizer and run every test, then run testbenches of a plain -O1 -g
# build under Valgrind's memcheck.
#
#   .ci/sanitize.sh [BUILD_DIR]   BUILD_DIR defaults to ./build-sanitize
#
# Needs what quickstart.sh installs (gcc, Check, cJSON, valgrind;
# Verilator and GTKWave for the optional tests). Both builds are out of
# tree: BUILD_DIR/asan and BUILD_DIR/plain.
#
# The sanitizer build uses gcc (SANITIZE_CC overrides): the Verilator
# co-simulation links libimcsim.a into a C++ harness that Verilator's own
# makefile compiles and links with g++, so the sanitizer runtimes must be
# gcc's. That inner make ignores our CFLAGS but appends the environment's
# LDFLAGS, which is how the runtimes get linked in; the Verilated RTL and
# harness themselves are not instrumented, the C golden model is. With
# SANITIZE_CC=clang the co-simulation is skipped (configure finds no
# Verilator), because clang's and gcc's ASan runtimes do not mix.
#
# Exit status: 0 clean, 1 a test failed or a tool reported an error.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
top=${1:-$here/build-sanitize}
jobs=${SANITIZE_JOBS:-2}
cc=${SANITIZE_CC:-gcc}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

for tool in "$cc" valgrind autoreconf; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "sanitize: '$tool' not found (apt-get install" \
			"build-essential valgrind clang)" >&2
		exit 1
	}
done

cd "$here"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	[ Makefile.am -nt configure ] ||
	find . -name local.mk -newer configure | grep -q .; then
	autoreconf -fi
fi

# halt_on_error: the first report fails the test that triggered it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "sanitize: ASan+UBSan build with $cc in $top/asan"
mkdir -p "$top/asan"
cd "$top/asan"
extra=()
case $cc in
*clang*) extra=(VERILATOR=no) ;; # see the header
esac
"$here/configure" --enable-werror CC="$cc" \
	CFLAGS="-O1 -g $san -fno-omit-frame-pointer" \
	LDFLAGS="$san" "${extra[@]}" >configure.log ||
	{ tail -n 30 configure.log; exit 1; }
# LDFLAGS in the environment reaches Verilator's inner make (see above).
export LDFLAGS="$san"
make -j"$jobs" >build.log 2>&1 || { tail -n 40 build.log; exit 1; }
if ! make -j"$jobs" check >check.log 2>&1; then
	grep -E '^(FAIL|ERROR|XPASS)' check.log || tail -n 40 check.log
	grep -l -E '^(FAIL|ERROR)' tests/*.trs tb/*.trs 2>/dev/null |
		sed 's/\.trs$/.log/' | xargs -r tail -n 60
	exit 1
fi
unset LDFLAGS
grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR)' check.log | sed 's/^/sanitize: /'

echo "sanitize: Valgrind memcheck on testbenches (plain build in $top/plain)"
mkdir -p "$top/plain"
cd "$top/plain"
"$here/configure" --enable-werror CFLAGS="-O1 -g" >configure.log ||
	{ tail -n 30 configure.log; exit 1; }
make -j"$jobs" libimcsim.la tb/tb_calibration tb/tb_kernel \
	>build.log 2>&1 || { tail -n 40 build.log; exit 1; }
mkdir -p waves
for tb in tb_calibration tb_kernel; do
	if ! valgrind -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect \
		--log-file="valgrind-$tb.log" "tb/$tb" >"$tb.out" 2>&1; then
		echo "sanitize: valgrind reports errors in $tb:" >&2
		cat "valgrind-$tb.log" "$tb.out" >&2
		exit 1
	fi
	echo "sanitize: valgrind $tb clean"
done
echo "sanitize: all clean"
