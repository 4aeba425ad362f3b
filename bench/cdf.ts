// Benchmark: CDF reader throughput (lib/swarm/cdf) on one big uncompressed CDF_DOUBLE zVariable, the layout of a
// Swarm 1 Hz product's columns (paper section 2.3). Target: >= 100 MB/s. Builds its test files in a temp dir.
// Usage: npx tsx bench/cdf.ts [--mb 64] [--reps 5]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openCdf } from '../lib/swarm/cdf';
import { writeCdf } from '../lib/swarm/cdf/writer';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!(v > 0)) throw new Error(`--${name} needs a positive number, got '${process.argv[i + 1]}'`);
  return v;
}

const MB = arg('mb', 64);
const REPS = Math.round(arg('reps', 5));
const n = Math.floor((MB * 1e6) / 8);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-bench-'));

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

try {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i * 1e-3) * 1e4 + i * 1e-6;
  const cases: { label: string; bigEndian: boolean; gzip?: number }[] = [
    { label: 'uncompressed, little-endian (IBMPC)', bigEndian: false },
    { label: 'uncompressed, big-endian (NETWORK, byte-swapped)', bigEndian: true },
    { label: 'per-variable GZIP level 6', bigEndian: false, gzip: 6 },
  ];
  console.log(`CDF reader benchmark: one CDF_DOUBLE zVariable of ${n.toLocaleString('en')} records (${((n * 8) / 1e6).toFixed(1)} MB), median of ${REPS}`);
  const results: Record<string, number> = {};
  for (const c of cases) {
    const file = path.join(dir, `bench-${c.bigEndian ? 'be' : 'le'}${c.gzip ? '-gz' : ''}.cdf`);
    writeCdf(file, { bigEndian: c.bigEndian, variables: [{ name: 'x', type: 'CDF_DOUBLE', records: n, values, gzip: c.gzip }] });
    const times: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const t0 = process.hrtime.bigint();
      const col = openCdf(file).read('x');
      const t1 = process.hrtime.bigint();
      times.push(Number(t1 - t0) / 1e9);
      const d = col.data as Float64Array;
      if (d.length !== n || d[n - 1] !== values[n - 1] || d[12345 % n] !== values[12345 % n]) {
        throw new Error(`${file}: read back wrong values`);
      }
    }
    const s = median(times);
    const mbs = (n * 8) / 1e6 / s;
    results[c.label] = mbs;
    console.log(`  ${c.label.padEnd(50)} ${(s * 1000).toFixed(1).padStart(8)} ms  ${mbs.toFixed(0).padStart(6)} MB/s (file ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, read from disk + decode)`);
  }
  const main = results[cases[0].label];
  console.log(`CDF read throughput (uncompressed doubles): ${main.toFixed(0)} MB/s; target >= 100 MB/s: ${main >= 100 ? 'met' : 'NOT met'}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
