// Benchmark: build all 17 Table 1 datasets (paper section 3.1, Table 1) from a year of 1 Hz Swarm A days in one
// streaming pass, writing to disk as the real build does; prints wall time and peak RSS (targets: < 2 min on
// 2 cores, < 4 GB). Uses the simulated store when it holds the year, else synthetic orbit-like days generated
// on the fly (lib/datasets/synthetic.ts; generation time is measured and reported apart).
// Usage: npx tsx bench/datasets.ts [--days 365] [--from 2015-06-01] [--keep]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rngFor } from '../lib/core/random';
import { paths } from '../lib/core/paths';
import { readComcat } from '../lib/catalog/comcat';
import { readKp3Hourly } from '../lib/indices/kp';
import { defaultStore } from '../lib/swarm/store';
import { SwarmDay } from '../lib/swarm/types';
import { buildDatasets, prepareEvents } from '../lib/datasets/build';
import { syntheticDay } from '../lib/datasets/synthetic';
import { table1Configs } from '../lib/datasets/table1';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function main() {
  const nDays = Number(arg('--days', '365'));
  const from = arg('--from', '2015-06-01');
  const keep = process.argv.includes('--keep');
  const t0ms = Date.parse(from + 'T00:00:00Z');
  const dayNames = Array.from({ length: nDays }, (_, k) => new Date(t0ms + k * 86_400_000).toISOString().slice(0, 10));
  const to = dayNames[dayNames.length - 1];
  const stored = defaultStore.listDays('simulated', 'A').filter((d) => d >= from && d <= to);
  const useStore = stored.length >= nDays;
  let genMs = 0;
  async function* synthetic(): AsyncGenerator<SwarmDay> {
    for (const d of dayNames) {
      const g = performance.now();
      const day = syntheticDay(d, rngFor('bench', 'datasets', d), { gapRate: 5e-5, gapSeconds: 20, flagRate: 2e-5, nanRate: 1e-5 });
      genMs += performance.now() - g;
      yield day;
    }
  }
  const days = useStore ? defaultStore.streamDays('simulated', 'A', from, to) : synthetic();
  console.log(`bench datasets: ${nDays} days ${from}..${to} of 1 Hz data from ${useStore ? 'the simulated store' : 'synthetic orbit days generated on the fly'}; ` +
    `${os.cpus().length} CPUs, node ${process.version}`);
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const events = prepareEvents(readComcat(paths.catalogM50), { from, to });
  const kp = readKp3Hourly(paths.kp3hourly);
  const tEvents = performance.now() - t;
  const configs = table1Configs();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-datasets-'));
  try {
    const built = await buildDatasets({
      days, nDays, events: events.table, kp, configs, outDirs: configs.map((c) => path.join(out, `ds${String(c.id).padStart(2, '0')}`)),
      log: () => undefined,
    });
    const wall = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const peakRss = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
    let bytes = 0;
    for (const b of built) bytes += fs.statSync(path.join(b.dir!, 'X.f32')).size;
    console.log(`events: ${events.counts.used} real, ${events.counts.nonSeismicPlaced} artificial (prepared in ${(tEvents / 1000).toFixed(1)} s)`);
    console.table(built.map((b) => ({ dataset: b.config.id, T: b.T, windows: b.counts.windows, class0: b.counts.bySplitClass.reduce((a, r) => a + r[0], 0), class1: b.counts.bySplitClass.reduce((a, r) => a + r[1], 0), class2: b.counts.bySplitClass.reduce((a, r) => a + r[2], 0) })));
    console.log(`windows written: ${built.reduce((a, b) => a + b.counts.windows, 0)} (${(bytes / 2 ** 20).toFixed(1)} MiB of X)`);
    if (!useStore) console.log(`synthetic day generation inside the pass: ${(genMs / 1000).toFixed(1)} s`);
    console.log(`wall time (all 17 datasets, one pass): ${wall.toFixed(1)} s${useStore ? '' : ` (${(wall - genMs / 1000).toFixed(1)} s without generation)`}`);
    console.log(`CPU time of this process: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs while it ran)`);
    console.log(`peak RSS: ${(peakRss / 2 ** 30).toFixed(2)} GiB`);
    console.log(`targets: wall < 120 s ${wall < 120 ? 'met' : 'NOT met'}; peak RSS < 4 GiB ${peakRss < 4 * 2 ** 30 ? 'met' : 'NOT met'}`);
  } finally {
    if (!keep) fs.rmSync(out, { recursive: true, force: true });
    else console.log(`kept ${out}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
