// CLI: the experiment stage (paper section 4, Table 2): tune, train and evaluate SafeNet on the profile's datasets
// (reusing results whose inputs are unchanged) and write build/results/table2.json and .csv.
// Usage: npx tsx scripts/experiments.ts [--profile smoke|default|paper] [--source simulated|real] [--ids 3,7]
//          [--no-controlled] [--paper-selection] [--force] [--workers N] [--in-process]
import { commonArgs, parseCommonArg } from '../lib/core/cli';
import { selectBackend } from '../lib/backend/backend';
import { runExperiments } from '../lib/experiments/plan';
import { flatTable2 } from '../lib/experiments/table2';

function usage(msg: string): never {
  console.error(`experiments: ${msg}\nusage: experiments [--profile smoke|default|paper] [--source simulated|real] [--ids 3,7] [--no-controlled] [--paper-selection] [--force] [--workers N] [--in-process]`);
  process.exit(2);
}

async function main() {
  const argv = process.argv.slice(2);
  const common = commonArgs();
  let controlled = true, paperSelection = false, force = false, inProcess = false;
  let workers: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? usage(`${a} needs a value`);
    if (parseCommonArg(a, val, common, usage)) continue;
    if (a === '--no-controlled') controlled = false;
    else if (a === '--paper-selection') paperSelection = true;
    else if (a === '--force') force = true;
    else if (a === '--in-process') inProcess = true;
    else if (a === '--workers') {
      workers = Number(val());
      if (!Number.isInteger(workers) || workers < 1) usage('--workers must be a positive integer');
    } else usage(`unknown argument '${a}'`);
  }
  const { profile, source, ids } = common;
  await selectBackend();
  const s = await runExperiments(profile, { source, ids, controlled, paperSelection, force, inProcess, workers });
  console.table(flatTable2(s.table2, { intervals: false }).map((r) => ({
    dataset: r.dataset, protocol: r.protocol, mcc: r.mcc, 'mcc paper': r.mcc_paper, f1: r.f1, 'f1 paper': r.f1_paper,
    auc0: r.auc0, auc1: r.auc1, auc2: r.auc2,
  })));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
