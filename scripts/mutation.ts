#!/usr/bin/env tsx
// Mutation probe (issue 18): plants named bugs in lib/ one at a time (a changed constant, a moved threshold, an
// off-by-one, a dropped term) and runs the tests that cover each; a bug is "caught" when those tests fail. The
// mutants are planted in a scratch copy of the working tree (tracked and untracked-but-not-ignored files;
// node_modules and native/build linked), never in the tree itself, and the copy is removed at the end. Not part of `make test`.
//
// Usage: npm run mutation [-- --only <regex of mutant names>] [--list] [--without-tests <regex>] [--timeout <s>]
//   --list            print the mutants and exit
//   --only RE         plant only the mutants whose name matches RE
//   --without-tests RE  delete the test files matching RE from the copy first (a "before" score: the suite
//                     without the tests of issue 18, e.g. 'paper-constants|seeded-streams|thresholds|fingerprint')
//   --tests-at COMMIT   the copy's test/ folder as it was at COMMIT (lib/ as it is now): the score of an older suite
// Exit code 0 when every planted bug is caught, 1 otherwise; the last line is "caught N of M (score P %)".
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Mutant {
  /** Short unique name: <folder>-<what>. */
  name: string;
  /** File under lib/. */
  file: string;
  /** Exact text to replace; must occur exactly once in the file. */
  find: string;
  replace: string;
  /** Regex of test file names to run (scripts/run-tests.mjs argument): the tests that cover this code. */
  tests: string;
}

/** A test file by its exact name (run-tests.mjs appends [^/]*\.test\.ts$ to the pattern). */
const file = (name: string) => `${name}(?=\\.test\\.ts$)`;
const DATASETS_T = `${file('datasets')}|thresholds|paper-constants`;
const CASE_T = 'casestudy-methods|casestudy-numerics|thresholds|paper-constants';

export const MUTANTS: Mutant[] = [
  // lib/core: the seeded random module, geometry, binary search, the paper's constants
  { name: 'core-rng-warmup', file: 'lib/core/random.ts', find: 'for (let i = 0; i < 15; i++) this.uint32(); // warm up', replace: 'for (let i = 0; i < 16; i++) this.uint32(); // warm up', tests: 'seeded-streams|random' },
  { name: 'core-rng-shuffle-bias', file: 'lib/core/random.ts', find: 'const j = this.int(i + 1);', replace: 'const j = this.int(a.length);', tests: 'seeded-streams|random' },
  { name: 'core-rng-shuffle-sattolo', file: 'lib/core/random.ts', find: 'const j = this.int(i + 1);', replace: 'const j = this.int(i);', tests: 'seeded-streams|random' },
  { name: 'core-rng-next-bits', file: 'lib/core/random.ts', find: 'const lo = this.uint32() >>> 6; // 26 bits', replace: 'const lo = this.uint32() >>> 7; // 26 bits', tests: 'seeded-streams|random' },
  { name: 'core-rng-normal-spare', file: 'lib/core/random.ts', find: 'this.spareNormal = v * m;', replace: 'this.spareNormal = u * m;', tests: 'seeded-streams|random' },
  { name: 'core-geo-localtime', file: 'lib/core/geo.ts', find: 'let lt = (ut + lonDeg / 15) % 24;', replace: 'let lt = (ut + lonDeg / 16) % 24;', tests: `thresholds|${file('datasets')}` },
  { name: 'core-geo-earth-radius', file: 'lib/core/geo.ts', find: 'export const EARTH_RADIUS_KM = 6371.0088;', replace: 'export const EARTH_RADIUS_KM = 6378.137;', tests: 'paper-constants|thresholds|decluster' },
  { name: 'core-search-lowerbound', file: 'lib/core/search.ts', find: 'if (a[mid] < v) lo = mid + 1;', replace: 'if (a[mid] <= v) lo = mid + 1;', tests: 'thresholds|decluster' },
  { name: 'core-paper-kp-threshold', file: 'lib/core/paper.ts', find: 'export const PAPER_KP_THRESHOLD = 3;', replace: 'export const PAPER_KP_THRESHOLD = 3.3;', tests: DATASETS_T },
  { name: 'core-paper-after-days', file: 'lib/core/paper.ts', find: 'beforeDays: 15, afterDays: 5 }', replace: 'beforeDays: 15, afterDays: 6 }', tests: DATASETS_T },
  { name: 'core-paper-dobrovolsky', file: 'lib/core/paper.ts', find: 'export const DOBROVOLSKY_EXPONENT = 0.43;', replace: 'export const DOBROVOLSKY_EXPONENT = 0.44;', tests: DATASETS_T },
  { name: 'core-paper-magnitude-bin', file: 'lib/core/paper.ts', find: "label: '5.2-5.8', min: 5.2, max: 5.8,", replace: "label: '5.2-5.8', min: 5.2, max: 5.9,", tests: DATASETS_T },
  { name: 'core-paper-table1-degrees', file: 'lib/core/paper.ts', find: 'degrees: [3, 5, 7, 10],', replace: 'degrees: [3, 5, 8, 10],', tests: DATASETS_T },
  { name: 'core-paper-exclusion-days', file: 'lib/core/paper.ts', find: '{ deg: 10, days: 15 }', replace: '{ deg: 10, days: 14 }', tests: DATASETS_T },
  { name: 'core-paper-gk-distance', file: 'lib/core/paper.ts', find: 'distanceKm: [19.5, 22.5, 26, 30, 35, 40, 47, 54, 61, 70, 81, 94],', replace: 'distanceKm: [19.5, 22.5, 26, 30, 35, 40, 47, 57, 61, 70, 81, 94],', tests: 'decluster|thresholds|paper-constants' },
  { name: 'core-paper-gk-fit', file: 'lib/core/paper.ts', find: 'distance: { a: 0.1238, b: 0.983 }', replace: 'distance: { a: 0.1238, b: 0.993 }', tests: 'decluster|paper-constants' },
  { name: 'core-paper-nelog-degree', file: 'lib/core/paper.ts', find: 'export const NELOG_SETTINGS = { degree: 10, k: 3 } as const;', replace: 'export const NELOG_SETTINGS = { degree: 11, k: 3 } as const;', tests: CASE_T },
  { name: 'core-paper-mass-kt', file: 'lib/core/paper.ts', find: 'windowShiftFraction: 1 / 5, kt: 2.5 }', replace: 'windowShiftFraction: 1 / 5, kt: 3 }', tests: CASE_T },
  // lib/catalog: declustering, filters, Dobrovolsky
  { name: 'catalog-decluster-foreshocks', file: 'lib/catalog/decluster.ts', find: "const t0 = rule.direction === 'both' ? cat.time[i] - T : cat.time[i];", replace: 'const t0 = cat.time[i];', tests: 'decluster|thresholds|paper-constants' },
  { name: 'catalog-decluster-larger-claimed', file: 'lib/catalog/decluster.ts', find: '!kept[j] || cat.mag[j] > m) continue;', replace: '!kept[j] || cat.mag[j] >= m) continue;', tests: 'decluster|thresholds|paper-constants' },
  { name: 'catalog-gk-interpolation', file: 'lib/catalog/decluster.ts', find: 'return ys[k] + f * (ys[k + 1] - ys[k]);', replace: 'return ys[k];', tests: 'decluster|thresholds|paper-constants' },
  { name: 'catalog-gk-fit-branch', file: 'lib/catalog/decluster.ts', find: 'm >= FIT.timeLarge.fromMag ?', replace: 'm > FIT.timeLarge.fromMag + 0.5 ?', tests: 'decluster|paper-constants' },
  { name: 'catalog-filter-end-exclusive', file: 'lib/catalog/filters.ts', find: 'if (t < from || t >= to) continue;', replace: 'if (t < from || t > to) continue;', tests: 'decluster|thresholds' },
  { name: 'catalog-bins-last-closed', file: 'lib/catalog/filters.ts', find: '(lastClosed && k === bins.length - 1 && m === hi)', replace: '(false)', tests: 'decluster|paper-constants' },
  { name: 'catalog-dobrovolsky-deg', file: 'lib/catalog/dobrovolsky.ts', find: 'return (dobrovolskyRadiusKm(magnitude) / EARTH_RADIUS_KM) * (180 / Math.PI);', replace: 'return (dobrovolskyRadiusKm(magnitude) / 6371.2) * (180 / Math.PI);', tests: 'paper-constants|casestudy' },
  // lib/casestudy: MASS and NeLOG
  { name: 'casestudy-mass-kt-use', file: 'lib/casestudy/mass.ts', find: 'rms[c] > params.kt * trackRms[c]', replace: 'rms[c] > (params.kt - 0.2) * trackRms[c]', tests: CASE_T },
  { name: 'casestudy-mass-shift', file: 'lib/casestudy/mass.ts', find: 'const shift = params.windowDeg * params.windowShiftFraction;', replace: 'const shift = params.windowDeg * params.windowShiftFraction * 1.5;', tests: CASE_T },
  { name: 'casestudy-nelog-k-use', file: 'lib/casestudy/nelog.ts', find: 'Math.max(params.k * rms, params.minDeviation)', replace: 'Math.max((params.k + 0.15) * rms, params.minDeviation)', tests: CASE_T },
  { name: 'casestudy-nelog-degree-use', file: 'lib/casestudy/nelog.ts', find: 'chebyshevFit(latitude, logNe, params.degree)', replace: 'chebyshevFit(latitude, logNe, params.degree + 1)', tests: CASE_T },
  // lib/datasets: selection, labels, non-seismic events, windows, splits
  { name: 'datasets-kp-label-inclusive', file: 'lib/datasets/selection.ts', find: 'k > p.kp.threshold ? 2', replace: 'k >= p.kp.threshold ? 2', tests: DATASETS_T },
  { name: 'datasets-time-window-after', file: 'lib/datasets/selection.ts', find: 'if (t < te - before || t > te + after) continue;', replace: 'if (t < te - before || t >= te + after) continue;', tests: DATASETS_T },
  { name: 'datasets-night-start', file: 'lib/datasets/selection.ts', find: 'const night = a > b ? lt >= a || lt < b', replace: 'const night = a > b ? lt > a || lt < b', tests: DATASETS_T },
  { name: 'datasets-magbin-lower', file: 'lib/datasets/selection.ts', find: '(m >= c.magBin[0] &&', replace: '(m > c.magBin[0] &&', tests: DATASETS_T },
  { name: 'datasets-exclusion-strict', file: 'lib/datasets/nonseismic.ts', find: 'const nearLat = Math.abs(lat - rLat) <= deg;', replace: 'const nearLat = Math.abs(lat - rLat) < deg;', tests: DATASETS_T },
  { name: 'datasets-gap-tolerance', file: 'lib/datasets/windows.ts', find: 'if (Math.abs(dt - step) > tol) { gap = true; break; }', replace: 'if (Math.abs(dt - step) > 2 * tol) { gap = true; break; }', tests: DATASETS_T },
  { name: 'datasets-split-fraction', file: 'lib/datasets/splits.ts', find: 'const valEnd = (1 - fr.testFraction) * N;', replace: 'const valEnd = (1 - fr.testFraction) * N + 1;', tests: DATASETS_T },
  // lib/simulation: orbit and injection
  { name: 'simulation-gmst-rate', file: 'lib/simulation/orbit.ts', find: 'const deg = 280.46061837 + 360.98564736629 * d;', replace: 'const deg = 280.46061837 + 360.9856 * d;', tests: 'simulation-orbit|reference-values' },
  { name: 'simulation-inject-radius', file: 'lib/simulation/inject.ts', find: 'return p.radiusFactor * Math.pow(10, p.radiusExponent * mag);', replace: 'return 1.1 * p.radiusFactor * Math.pow(10, p.radiusExponent * mag);', tests: file('simulation') },
  // lib/evaluation: metrics
  { name: 'evaluation-mcc-term', file: 'lib/evaluation/metrics.ts', find: 'const covYpYp = s * s - pp;', replace: 'const covYpYp = s * s - tt;', tests: 'evaluation' },
  { name: 'evaluation-trapezoid', file: 'lib/evaluation/metrics.ts', find: 'a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;', replace: 'a += (x[i] - x[i - 1]) * y[i];', tests: 'evaluation' },
  { name: 'evaluation-f1', file: 'lib/evaluation/metrics.ts', find: 'f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);', replace: 'f1.push(p + r > 0 ? (p * r) / (p + r) : 0);', tests: 'evaluation' },
  // lib/tuning: hyperopt's TPE
  { name: 'tuning-split-ceil', file: 'lib/tuning/tpe.ts', find: 'Math.min(Math.ceil(gamma * Math.sqrt(sorted.length)), GAMMA_CAP)', replace: 'Math.min(Math.floor(gamma * Math.sqrt(sorted.length)), GAMMA_CAP)', tests: 'tuning' },
  // lib/indices: Kp -> ap
  { name: 'indices-kp-ap-table', file: 'lib/indices/ap.ts', find: '0, 2, 3, 4, 5, 6, 7, 9, 12, 15, 18, 22, 27,', replace: '0, 2, 3, 4, 5, 6, 7, 9, 12, 15, 18, 22, 26,', tests: 'indices' },
  { name: 'indices-kp-slot', file: 'lib/indices/kp.ts', find: 'export const THREE_HOURS_MS = 3 * 3600 * 1000;', replace: 'export const THREE_HOURS_MS = 3 * 3600 * 1000 + 1000;', tests: 'indices' },
  // lib/swarm: store flags
  { name: 'swarm-ne-impossible', file: 'lib/swarm/flags.ts', find: 'else if (ne <= 0) f |= FLAG.IMPOSSIBLE;', replace: 'else if (ne < 0) f |= FLAG.IMPOSSIBLE;', tests: `thresholds|swarm|${file('store')}` },
  // lib/models: gradient boosting
  { name: 'models-gbm-leaf', file: 'lib/models/gbm.ts', find: 'const v = (-p.learningRate * node.sumG) / (node.sumH + p.l2Regularization + EPS);', replace: 'const v = (-node.sumG) / (node.sumH + p.l2Regularization + EPS);', tests: `${file('baselines')}|baselines-sklearn` },
  // lib/backend: the CPU matmul kernel's row remainder
  { name: 'backend-matmul-remainder', file: 'lib/backend/kernels/matmul_cpu.ts', find: 'for (let j = 0; j < N; j++) c[co + j] += v * b[bo + j];', replace: 'for (let j = 1; j < N; j++) c[co + j] += v * b[bo + j];', tests: 'backend-kernels|reference-values' },
  // lib/audit: band energy of the precursor detector
  { name: 'audit-band-edge', file: 'lib/audit/band.ts', find: 'for (let k = k0; k <= k1; k++) {', replace: 'for (let k = k0; k < k1; k++) {', tests: `thresholds|${file('audit')}` },
];

interface Args { only?: RegExp; list: boolean; without?: RegExp; testsAt?: string; timeoutS: number }

function parseArgs(argv: string[]): Args {
  const o: Args = { list: false, timeoutS: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') o.list = true;
    else if (a === '--only') o.only = new RegExp(argv[++i]);
    else if (a === '--without-tests') o.without = new RegExp(argv[++i]);
    else if (a === '--timeout') o.timeoutS = Number(argv[++i]);
    else if (a === '--tests-at') o.testsAt = argv[++i];
    else throw new Error(`mutation: unknown argument '${a}' (see the header of scripts/mutation.ts)`);
  }
  return o;
}

/** Check every mutant applies to the given tree: the file exists and `find` occurs exactly once. */
export function checkMutants(root: string, mutants: Mutant[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const m of mutants) {
    if (names.has(m.name)) problems.push(`${m.name}: duplicate name`);
    names.add(m.name);
    const f = path.join(root, m.file);
    if (!fs.existsSync(f)) { problems.push(`${m.name}: ${m.file} does not exist`); continue; }
    const n = fs.readFileSync(f, 'utf8').split(m.find).length - 1;
    if (n !== 1) problems.push(`${m.name}: the text to replace occurs ${n} times in ${m.file} (needs exactly 1)`);
    if (m.find === m.replace) problems.push(`${m.name}: replacement equals the original`);
  }
  return problems;
}

/** A scratch copy of the tracked files of the working tree (their current contents), with node_modules linked. */
function makeSandbox(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safenet-mutation-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const src = path.join(root, f);
    if (!fs.existsSync(src) || !fs.statSync(src).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, f));
    // keep modification times: a copied package-lock.json newer than node_modules would make scripts/setup.sh
    // run `npm ci`, which through the link would rewrite the working tree's node_modules
    const st = fs.statSync(src);
    fs.utimesSync(path.join(dir, f), st.atime, st.mtime);
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const nativeBuild = path.join(root, 'native', 'build');
  if (fs.existsSync(nativeBuild)) {
    fs.mkdirSync(path.join(dir, 'native'), { recursive: true });
    fs.symlinkSync(nativeBuild, path.join(dir, 'native', 'build'), 'dir');
  }
  return dir;
}

function runTests(dir: string, regex: string, timeoutS: number): { failed: boolean; summary: string; seconds: number; output: string } {
  const t0 = Date.now();
  const build = path.join(dir, '.mutation-build');
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', regex], {
    cwd: dir, encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, SAFENET_BUILD_DIR: build, SAFENET_FIGURES_DIR: path.join(build, 'figures'), FORCE_COLOR: '0' },
  });
  fs.rmSync(build, { recursive: true, force: true });
  const lines = (r.stdout ?? '').trim().split('\n');
  const summary = r.error ? `timeout/error: ${r.error.message}` : lines[lines.length - 1] ?? '';
  return { failed: r.status !== 0, summary, seconds: (Date.now() - t0) / 1000, output: `${r.stdout ?? ''}\n${r.stderr ?? ''}` };
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  const o = parseArgs(process.argv.slice(2));
  const mutants = MUTANTS.filter((m) => !o.only || o.only.test(m.name));
  if (o.list) {
    for (const m of mutants) console.log(`${m.name.padEnd(34)} ${m.file.padEnd(36)} tests: ${m.tests}`);
    const folders = new Set(mutants.map((m) => m.file.split('/')[1]));
    console.log(`${mutants.length} mutants over ${folders.size} lib/ folders: ${[...folders].join(', ')}`);
    return;
  }
  const problems = checkMutants(root, mutants);
  if (problems.length) {
    console.error(`mutation: ${problems.length} mutant(s) do not apply:\n  ${problems.join('\n  ')}`);
    process.exit(2);
  }
  const dir = makeSandbox(root);
  const stop = (sig: string) => {
    fs.rmSync(dir, { recursive: true, force: true });
    console.error(`mutation: stopped by ${sig}; scratch copy removed`);
    process.exit(130);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let caught = 0;
  const missed: string[] = [];
  const t0 = Date.now();
  try {
    if (o.testsAt) {
      const git = (args: string[]) => execFileSync('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
      const old = git(['ls-tree', '-r', '-z', '--name-only', o.testsAt, 'test']).toString('utf8').split('\0').filter(Boolean);
      fs.rmSync(path.join(dir, 'test'), { recursive: true, force: true });
      for (const f of old) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), git(['show', `${o.testsAt}:${f}`]));
      }
      console.log(`test/ as at ${o.testsAt} (${old.length} files)`);
    }
    if (o.without) {
      for (const f of fs.readdirSync(path.join(dir, 'test'))) if (o.without.test(f)) fs.rmSync(path.join(dir, 'test', f));
    }
    // the unmutated tree must pass the selections, or a "caught" would mean nothing
    const selections = [...new Set(mutants.map((m) => m.tests))];
    const base = runTests(dir, selections.map((s) => `(${s})`).join('|'), o.timeoutS);
    if (base.failed) {
      throw new Error(`mutation: the unmutated tests fail (${base.summary}); fix them first:\n${base.output.split('\n').slice(-60).join('\n')}`);
    }
    console.log(`baseline: the selected tests pass on the unmutated tree (${base.summary}, ${base.seconds.toFixed(0)} s)`);
    for (const m of mutants) {
      const f = path.join(dir, m.file);
      const original = fs.readFileSync(f, 'utf8');
      fs.writeFileSync(f, original.replace(m.find, () => m.replace));
      let r: ReturnType<typeof runTests>;
      try {
        r = runTests(dir, m.tests, o.timeoutS);
      } finally {
        fs.writeFileSync(f, original);
      }
      if (r.failed) caught++;
      else missed.push(m.name);
      console.log(`${r.failed ? 'caught    ' : 'NOT CAUGHT'} ${m.name.padEnd(34)} ${r.seconds.toFixed(0).padStart(4)} s  ${r.summary}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const folders = new Set(mutants.map((m) => m.file.split('/')[1]));
  console.log(`\n${mutants.length} mutants over ${folders.size} lib/ folders in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  if (missed.length) console.log(`not caught: ${missed.join(', ')}`);
  console.log(`caught ${caught} of ${mutants.length} (score ${((100 * caught) / Math.max(1, mutants.length)).toFixed(1)} %)`);
  process.exit(missed.length ? 1 : 0);
}

if (require.main === module) main();
