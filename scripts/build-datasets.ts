// CLI: build (or reuse from the cache) the Table 1 datasets of the active profile from the Swarm store, in one
// streaming pass, and print per-dataset counts by class and split. Paper section 3.1, Table 1.
// Usage: npx tsx scripts/build-datasets.ts [--profile smoke|default|paper] [--source simulated|real]
//          [--ids 3,7,10] [--protocol paper|controlled] [--null] [--force] [--set windows.preprocessing=demean ...]
//   --protocol  paper (default) or controlled (the shortcut controls of lib/datasets/params.ts, issue 10)
//   --null      the null simulation's store (nothing injected; simulated source only)
import { commonArgs, parseCommonArg } from '../lib/core/cli';
import { ensureDatasets } from '../lib/datasets/cache';
import { DATASET_PARAMS, DatasetParams, paramLeaves, Protocol, PROTOCOLS, protocolParams } from '../lib/datasets/params';
import { SPLIT_NAMES } from '../lib/datasets/splits';

function usage(msg: string): never {
  console.error(`build-datasets: ${msg}\nusage: build-datasets [--profile smoke|default|paper] [--source simulated|real] [--ids 1,3] [--protocol paper|controlled] [--null] [--force] [--set key=value]`);
  process.exit(2);
}

function parse(argv: string[]) {
  const common = commonArgs();
  let force = false;
  let protocol: Protocol = 'paper';
  let run: 'signal' | 'null' = 'signal';
  const sets: [string[], unknown][] = [];
  const leaves = new Set(paramLeaves(DATASET_PARAMS));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? usage(`${a} needs a value`);
    if (parseCommonArg(a, val, common, usage)) continue;
    if (a === '--protocol') {
      const pr = val() as Protocol;
      if (!PROTOCOLS.includes(pr)) usage(`--protocol must be one of ${PROTOCOLS.join(', ')}, got '${pr}'`);
      protocol = pr;
    } else if (a === '--null') run = 'null';
    else if (a === '--force') force = true;
    else if (a === '--set') {
      const kv = val();
      const eq = kv.indexOf('=');
      const key = kv.slice(0, eq);
      if (eq < 0 || !leaves.has(key)) usage(`--set: '${kv}' is not key=value with a key of lib/datasets/params.ts (${[...leaves].join(', ')})`);
      let v: unknown = kv.slice(eq + 1);
      try { v = JSON.parse(v as string); } catch { /* a bare string */ }
      sets.push([key.split('.'), v]);
    } else usage(`unknown argument '${a}'`);
  }
  if (run === 'null' && common.source !== 'simulated') usage('--null needs --source simulated');
  const params: DatasetParams = protocolParams(protocol);
  for (const [keys, v] of sets) {
    let o: any = params;
    for (const k of keys.slice(0, -1)) o = o[k];
    o[keys[keys.length - 1]] = v;
  }
  return { ...common, force, params, protocol, run };
}

async function main() {
  const o = parse(process.argv.slice(2));
  console.log(`datasets: profile ${o.profile.name} (${o.profile.from}..${o.profile.to}), source ${o.source}${o.run === 'null' ? ' (null run)' : ''}, protocol ${o.protocol}, ids ${(o.ids ?? o.profile.datasets).join(',')}`);
  const r = await ensureDatasets({ source: o.source, profile: o.profile, ids: o.ids, force: o.force, params: o.params, run: o.run });
  const rows = r.datasets.map((d) => {
    const c = d.summary.counts;
    const row: Record<string, string | number> = { dataset: d.id, windows: c.windows };
    SPLIT_NAMES.forEach((s, k) => (row[s] = c.bySplitClass[k].join('/')));
    row.events = c.realEventsWithWindows + '+' + c.artificialEventsWithWindows;
    const k = d.summary.controls;
    if (k) row['dropped gap/balance'] = `${k.gapWindows}/${k.balanceWindows}`;
    row.rebuilt = d.rebuilt ? 'yes' : 'no';
    return row;
  });
  console.log('windows per split as class 0/1/2; events as real+artificial');
  console.table(rows);
  console.log(`done in ${r.seconds.toFixed(1)} s; folders under ${r.datasets[0]?.dir.split('/ds')[0] ?? '-'}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
