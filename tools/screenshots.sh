#!/bin/sh
# screenshots.sh - what GTKWave shows on opening each testbench's save file,
# as PNGs for doc/waveforms.md (`make screenshots`; not part of make check).
#
# Usage: tools/screenshots.sh BUILDDIR OUTDIR
# Runs every testbench (and, when built, the co-simulation's --dump and,
# when the MNIST files are there, `imcsim trace`) in a fresh temporary
# directory, opens the save file it wrote in GTKWave under Xvfb (a
# 1600 x 1000 screen, the save files' window size), takes the screen with
# ImageMagick's import and writes OUTDIR/waves-NAME.png as a 32-colour PNG (about 40 kB).
# Needs gtkwave, xvfb-run (xvfb), xdotool and import (imagemagick).
# Exit 0, or 1 with a message naming what is missing or what failed.
set -u
build=${1:?usage: screenshots.sh BUILDDIR OUTDIR}
out=${2:?usage: screenshots.sh BUILDDIR OUTDIR}
for t in gtkwave xvfb-run xdotool import convert; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "screenshots: $t not found (apt-get install gtkwave xvfb" \
			"xdotool imagemagick)" >&2
		exit 1
	}
done
build=$(cd "$build" && pwd) || exit 1
mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/imcsim-shots.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# One screen: GTKWave on $2 (a save file in directory $1), shot to $3.
cat >"$tmp/shot.sh" <<'EOS'
#!/bin/sh
cd "$1" || exit 1
gtkwave "$2" >gtkwave.log 2>&1 &
pid=$!
xdotool search --sync --onlyvisible --name GTKWave >/dev/null
sleep 3 # the first draw
import -window root "$3"
rc=$?
kill "$pid"
exit $rc
EOS

shot() { # name dir gtkw
	if ! xvfb-run -a -s "-screen 0 1600x1000x24" sh "$tmp/shot.sh" \
		"$2" "$3" "$tmp/$1.png"; then
		echo "screenshots: GTKWave on $2/$3 failed" >&2
		exit 1
	fi
	convert "$tmp/$1.png" +dither -colors 32 "PNG8:$out/waves-$1.png" || exit 1
	echo "screenshots: $out/waves-$1.png"
}

run() { # name command...
	name=$1
	shift
	mkdir "$tmp/$name" || exit 1
	(cd "$tmp/$name" && "$@" >run.log 2>&1) || {
		echo "screenshots: $* failed:" >&2
		cat "$tmp/$name/run.log" >&2
		exit 1
	}
}

for tb in kernel calibration classify column_transfer system_trace; do
	stem=$tb
	[ "$tb" = system_trace ] && stem=system
	run "$tb" "$build/tb/tb_$tb"
	shot "$tb" "$tmp/$tb" "$stem.gtkw"
done
if [ -x "$build/tb/obj_dir/cosim/cosim" ]; then
	run cosim "$build/tb/obj_dir/cosim/cosim" --waves cosim --dump 300
	shot cosim "$tmp/cosim" cosim.gtkw
else
	echo "screenshots: no co-simulation build (Verilator): cosim skipped"
fi
mnist=${IMCSIM_MNIST_DIR:-}
if [ -n "$mnist" ] && [ -r "$mnist/t10k-images-idx3-ubyte" ]; then
	run trace "$build/imcsim" trace --quiet
	shot trace "$tmp/trace" system.gtkw
else
	echo "screenshots: IMCSIM_MNIST_DIR unset or without MNIST:" \
		"imcsim trace skipped"
fi
