// Baselines benchmark (issue 14, item 2; paper section 3.3): training time of the GBM and RF of lib/models beside
// scikit-learn's HistGradientBoostingClassifier and RandomForestClassifier with the same hyperparameters, on the
// same generated windows (lib/models/baseline-check.ts makeWindowTask, default 20,000 training windows of 70 x 4,
// the paper's window shape), with their test accuracy and macro F1. Wall-clock and CPU seconds are both printed:
// on a shared machine wall time depends on the load, CPU time much less. Ours and scikit-learn's each run with every
// thread count of --threads (ours: lib/models/tree-pool.ts; scikit-learn: OMP_NUM_THREADS), and the ratio compares
// the same count; the bench fails if our trees change with the thread count. Target (issue 14): no more than 3x
// scikit-learn's wall time on 2 cores (2 threads each); run it on a quiet machine (load average below ~0.5).
// Usage: npx tsx bench/baselines.ts [--train 20000] [--test 5000] [--samples 70] [--channels 4] [--gbm-iter 100]
//        [--rf-trees 100] [--threads 1,2] [--models gbm,rf]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accuracyMacroF1, makeWindowTask, runSklearn, SklearnModelSpec } from '../lib/models/baseline-check';
import { GbmClassifier, GbmParams } from '../lib/models/gbm';
import { RfClassifier, RfParams } from '../lib/models/rf';

interface Args {
  train: number;
  test: number;
  samples: number;
  channels: number;
  gbmIter: number;
  rfTrees: number;
  threads: number[];
  models: ('gbm' | 'rf')[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { train: 20000, test: 5000, samples: 70, channels: 4, gbmIter: 100, rfTrees: 100, threads: [1, 2], models: ['gbm', 'rf'] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const s = argv[++i];
      if (s === undefined) throw new Error(`bench/baselines.ts: ${k} needs a value`);
      return s;
    };
    const int = () => {
      const s = v();
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`bench/baselines.ts: ${k} must be a positive integer, got '${s}'`);
      return n;
    };
    if (k === '--train') a.train = int();
    else if (k === '--test') a.test = int();
    else if (k === '--samples') a.samples = int();
    else if (k === '--channels') a.channels = int();
    else if (k === '--gbm-iter') a.gbmIter = int();
    else if (k === '--rf-trees') a.rfTrees = int();
    else if (k === '--threads') {
      a.threads = v().split(',').map((t) => {
        const n = Number(t);
        if (!Number.isInteger(n) || n < 1) throw new Error(`bench/baselines.ts: --threads takes positive integers, got '${t}'`);
        return n;
      });
    } else if (k === '--models') {
      a.models = v().split(',').map((m) => {
        if (m !== 'gbm' && m !== 'rf') throw new Error(`bench/baselines.ts: --models takes gbm and/or rf, got '${m}'`);
        return m;
      });
    } else throw new Error(`bench/baselines.ts: unknown argument '${k}'`);
  }
  return a;
}

function main(): void {
  const a = parseArgs(process.argv.slice(2));
  console.log(`bench:baselines: ${a.train} training and ${a.test} test windows of ${a.samples} x ${a.channels}; node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
  const task = makeWindowTask({ train: a.train, test: a.test, samples: a.samples, channels: a.channels, amplitude: 1.5, seedLabel: 'bench' });
  // early stopping off so that both run the same number of iterations
  const gbmParams: Partial<GbmParams> = { maxIter: a.gbmIter, earlyStopping: false };
  const rfParams: Partial<RfParams> = { nEstimators: a.rfTrees };
  const rows: string[][] = [];
  // warm the worker pool (started once per process, reused by every fit) so that its start is not timed, as
  // scikit-learn's import and thread start are not
  const maxThreads = Math.max(...a.threads);
  if (maxThreads > 1) {
    const warm = makeWindowTask({ train: 200, test: 10, samples: 5, channels: 2, seedLabel: 'bench-warm' });
    new GbmClassifier({ maxIter: 2, earlyStopping: false }).fit(warm.train.x, warm.train.y, { threads: maxThreads });
  }
  const ours: Record<string, Record<number, { wall: number; cpu: number }>> = {};
  for (const m of a.models) {
    ours[m] = {};
    let first = '';
    for (const th of a.threads) {
      const t0 = Date.now();
      const c0 = process.cpuUsage();
      const model = m === 'gbm' ? new GbmClassifier(gbmParams).fit(task.train.x, task.train.y, { seedLabel: 'bench', threads: th })
        : new RfClassifier(rfParams).fit(task.train.x, task.train.y, { seedLabel: 'bench', threads: th });
      const wall = (Date.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      ours[m][th] = { wall, cpu };
      // the model must not depend on the thread count
      const trees = JSON.stringify(model.toJSON().trees);
      if (!first) first = trees;
      else if (trees !== first) throw new Error(`bench/baselines.ts: ${m} with ${th} threads grew other trees than with ${a.threads[0]}`);
      const s = accuracyMacroF1(task.test.y, model.predict(task.test.x), 3);
      rows.push([m.toUpperCase(), `this package (${th} thread${th > 1 ? 's' : ''})`, wall.toFixed(2), cpu.toFixed(2), '', '', s.accuracy.toFixed(4), s.macroF1.toFixed(4)]);
      console.log(`  ${m}, ${th} thread(s): ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU`);
    }
  }
  const specs: SklearnModelSpec[] = a.models.map((m) => ({ name: m, kind: m, params: m === 'gbm' ? gbmParams : rfParams }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baselines-'));
  let version = '';
  try {
    for (const th of a.threads) {
      const sk = runSklearn(task, specs, dir, th);
      version = sk.version;
      for (const r of sk.results) {
        const o = ours[r.name][th];
        rows.push([r.name.toUpperCase(), `scikit-learn ${sk.version} (${th} thread${th > 1 ? 's' : ''})`, r.seconds.toFixed(2), r.cpuSeconds.toFixed(2),
          (o.wall / r.seconds).toFixed(2), (o.cpu / r.cpuSeconds).toFixed(2), r.accuracy.toFixed(4), r.macroF1.toFixed(4)]);
        console.log(`  scikit-learn ${r.name}, ${th} thread(s): ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  rows.sort((x, y) => (x[0] === y[0] ? 0 : x[0] < y[0] ? -1 : 1));
  const head = ['model', 'implementation', 'fit wall s', 'fit CPU s', 'ours wall / its wall (same threads)', 'ours CPU / its CPU', 'test accuracy', 'test macro F1'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
  console.log(`\nGBM: ${a.gbmIter} iterations, 31 leaves, learning rate 0.1, 255 bins, no early stopping; RF: ${a.rfTrees} trees, sqrt features, full depth, bootstrap.`);
  console.log(`Ratios: our fit time over scikit-learn's with the same number of threads, wall over wall and CPU over CPU (CPU time`);
  console.log(`leaves out the wait for a loaded machine's cores; with several threads both CPU times also count the threads' spinning`);
  console.log(`while they wait for work). Load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}. scikit-learn ${version}.`);
}

main();
