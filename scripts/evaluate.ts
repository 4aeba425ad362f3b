// CLI: score a predictions file the package's way (scikit-learn's definitions; lib/evaluation, paper section 4).
// Usage: npm run evaluate -- predictions.csv [--bootstrap N] [--seed S] [--level 0.95] [--no-curves]
//   predictions.csv  columns y_true,p0,p1,p2 and optionally event_id (one row per window)
//   --bootstrap N    add percentile intervals from N replicates that resample events (needs event_id)
//   --seed S         bootstrap seed (default: the named seed 'bootstrap' of lib/core/config.ts)
//   --level L        interval coverage (default 0.95)
//   --no-curves      leave out roc_curve_per_class (shorter output)
// Prints the metrics as JSON on stdout; bad input exits 1 with a message naming the line.
import { SEEDS } from '../lib/core/config';
import { evaluate, metricsToJson } from '../lib/evaluation/metrics';
import { readPredictionsCsv } from '../lib/evaluation/predictions';
import { bootstrapByEvent } from '../lib/evaluation/bootstrap';

function usage(msg?: string): never {
  if (msg) console.error(`evaluate: ${msg}`);
  console.error('usage: npm run evaluate -- predictions.csv [--bootstrap N] [--seed S] [--level L] [--no-curves]');
  process.exit(2);
}

function main() {
  const args = process.argv.slice(2);
  let file: string | undefined;
  let nBoot = 0;
  let seed: number = SEEDS.bootstrap;
  let level = 0.95;
  let curves = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = (name: string) => {
      const v = Number(args[++i]);
      if (args[i] === undefined || !Number.isFinite(v)) usage(`${name} needs a number`);
      return v;
    };
    if (a === '--bootstrap') {
      nBoot = num(a);
      if (!Number.isInteger(nBoot) || nBoot < 1) usage('--bootstrap needs a positive integer');
    } else if (a === '--seed') seed = num(a);
    else if (a === '--level') level = num(a);
    else if (a === '--no-curves') curves = false;
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('--')) usage(`unknown option '${a}'`);
    else if (file === undefined) file = a;
    else usage(`one predictions file, got '${file}' and '${a}'`);
  }
  if (!file) usage('no predictions file');
  const p = readPredictionsCsv(file);
  const m: Record<string, unknown> = { ...evaluate(p.yTrue, p.proba, p.nClasses) };
  if (!curves) delete m.roc_curve_per_class;
  if (nBoot > 0) {
    if (!p.eventIds) throw new Error(`${file}: --bootstrap resamples events and needs an event_id column`);
    m.bootstrap = bootstrapByEvent(p.yTrue, p.proba, p.eventIds, { n: nBoot, seed, level, nClasses: p.nClasses });
  }
  process.stdout.write(metricsToJson(m) + '\n');
}

try {
  main();
} catch (e) {
  console.error(`evaluate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
