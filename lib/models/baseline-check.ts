// Checks of the tree baselines (GBM, RF; paper section 3.3) against scikit-learn, shared by the tests and
// `npm run bench:baselines`: a seeded, generated 3-class task shaped like the paper's windows (flattened
// [samples x channels], a class-1 burst, class-2 disturbed background), written to a folder as raw little-endian
// arrays, and scikit-learn's HistGradientBoostingClassifier / RandomForestClassifier run on the same rows and
// splits by test/fixtures/baselines/sklearn_reference.py (Debian python3-sklearn), with their scores and times.
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { rngFor } from '../core/random';
import { ROOT } from '../core/paths';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic';
import { Matrix } from './binning';
import { GbmParams } from './gbm';
import { RfParams } from './rf';

export interface WindowTask {
  train: { x: Matrix; y: Int32Array };
  test: { x: Matrix; y: Int32Array };
  samples: number;
  channels: number;
}

/**
 * A 3-class task of flattened windows [samples x channels] (channel-fastest, as the datasets flatten them):
 * every window is AR(1) noise per channel; class 1 adds a 0.3-cycle-per-sample burst of `amplitude` on channel 0
 * over a third of the window at a random place; class 2 doubles the noise of every channel (a disturbed, Kp > 3
 * like background). Balanced classes. Hard enough that neither model is perfect, easy enough that both are far
 * above chance.
 */
export function makeWindowTask(opts: { train: number; test: number; samples: number; channels: number; amplitude?: number; seedLabel?: string | number }): WindowTask {
  const rng = rngFor('training', 'baseline-task', opts.seedLabel ?? 0);
  const { samples: L, channels: C } = opts;
  const amp = opts.amplitude ?? 1.0;
  const make = (n: number, part: string) => {
    const r = rng.fork(part);
    const x = new Float64Array(n * L * C);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = i % 3;
      y[i] = k;
      const sd = k === 2 ? 2 : 1;
      for (let c = 0; c < C; c++) {
        let v = r.normal(0, sd);
        for (let s = 0; s < L; s++) {
          v = 0.7 * v + r.normal(0, sd * Math.sqrt(1 - 0.49));
          x[(i * L + s) * C + c] = v;
        }
      }
      if (k === 1) {
        const len = Math.max(3, Math.floor(L / 3));
        const at = r.int(L - len + 1);
        const phase = r.uniform(0, 2 * Math.PI);
        for (let s = 0; s < len; s++) x[(i * L + at + s) * C] += amp * Math.sin(2 * Math.PI * 0.3 * s + phase) * Math.sin((Math.PI * (s + 0.5)) / len);
      }
    }
    // shuffle rows so that class order carries nothing
    const perm = r.fork('order').permutation(n);
    const xs = new Float64Array(x.length);
    const ys = new Int32Array(n);
    const w = L * C;
    for (let j = 0; j < n; j++) {
      xs.set(x.subarray(perm[j] * w, (perm[j] + 1) * w), j * w);
      ys[j] = y[perm[j]];
    }
    return { x: { data: xs, rows: n, cols: w }, y: ys };
  };
  return { train: make(opts.train, 'train'), test: make(opts.test, 'test'), samples: L, channels: C };
}

/** Accuracy and macro-averaged F1 (scikit-learn's f1_score average='macro'; an empty class scores 0). */
export function accuracyMacroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): { accuracy: number; macroF1: number } {
  if (yTrue.length !== yPred.length || yTrue.length === 0) throw new Error(`accuracyMacroF1: ${yTrue.length} labels, ${yPred.length} predictions`);
  const tp = new Float64Array(nClasses);
  const fp = new Float64Array(nClasses);
  const fn = new Float64Array(nClasses);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === yPred[i]) {
      correct++;
      tp[yTrue[i]]++;
    } else {
      fp[yPred[i]]++;
      fn[yTrue[i]]++;
    }
  }
  let f1 = 0;
  for (let k = 0; k < nClasses; k++) {
    const den = 2 * tp[k] + fp[k] + fn[k];
    f1 += den > 0 ? (2 * tp[k]) / den : 0;
  }
  return { accuracy: correct / yTrue.length, macroF1: f1 / nClasses };
}

export interface SklearnModelSpec {
  name: string;
  kind: 'gbm' | 'rf';
  params: Partial<GbmParams> | Partial<RfParams>;
}

export interface SklearnResult {
  name: string;
  accuracy: number;
  macroF1: number;
  /** Wall-clock and CPU (all threads) seconds of fit. */
  seconds: number;
  cpuSeconds: number;
  predictions: number[];
  nIter?: number;
}

export const SKLEARN_SCRIPT = path.join(ROOT, 'test', 'fixtures', 'baselines', 'sklearn_reference.py');
/** Debian's python (where python3-sklearn lives), not whatever python3 comes first on PATH. */
export const SYSTEM_PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function writeArray(file: string, a: Float64Array | Int32Array): void {
  writeFileAtomic(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/**
 * Fit scikit-learn's counterparts of `models` on task.train and score them on task.test (in `dir`, which the
 * caller owns), with `threads` OpenMP/joblib threads. Throws with python's stderr when python3 or scikit-learn
 * is missing (scripts/setup.sh installs python3-sklearn).
 */
export function runSklearn(task: WindowTask, models: SklearnModelSpec[], dir: string, threads = 2): { version: string; results: SklearnResult[] } {
  fs.mkdirSync(dir, { recursive: true });
  writeArray(path.join(dir, 'x_train.f64'), task.train.x.data as Float64Array);
  writeArray(path.join(dir, 'y_train.i32'), task.train.y);
  writeArray(path.join(dir, 'x_test.f64'), task.test.x.data as Float64Array);
  writeArray(path.join(dir, 'y_test.i32'), task.test.y);
  writeJsonAtomic(path.join(dir, 'spec.json'), {
    n_train: task.train.x.rows, n_test: task.test.x.rows, n_features: task.train.x.cols, threads, models,
  });
  const r = spawnSync(SYSTEM_PYTHON, [SKLEARN_SCRIPT, dir], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: '1' },
    maxBuffer: 64 << 20,
  });
  if (r.error) throw new Error(`runSklearn: could not start ${SYSTEM_PYTHON} (${r.error.message}); run scripts/setup.sh base`);
  if (r.status !== 0) throw new Error(`runSklearn: ${SKLEARN_SCRIPT} exited with ${r.status}:\n${r.stderr}`);
  const out = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
  return { version: out.version, results: out.results };
}
