#!/bin/sh
# doc/parameters.md holds the parameter tables the registry generates
# (`imcsim params --markdown`); this fails when they differ. Regenerate
# with `make doc-params`.
set -eu
doc="${srcdir:-.}/doc/parameters.md"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./imcsim params --markdown >"$tmp/got"
sed -n '/^<!-- params:begin -->$/,/^<!-- params:end -->$/p' "$doc" |
	sed '1d;$d' >"$tmp/want"
if ! diff -u "$tmp/want" "$tmp/got"; then
	echo "doc_params: $doc is stale; run make doc-params" >&2
	exit 1
fi
[ -s "$tmp/got" ] || { echo "doc_params: no tables generated" >&2; exit 1; }
