// Benchmark: simulated Swarm A records per second (lib/simulation), the embedded default's data source.
// Target (issue 4): >= 1 million records/s on 2 cores, a year of 1 Hz data in < 40 s.
// Usage: npx tsx bench/simulate.ts [--days N] [--workers N]   (default 16 days, 2 workers; writes to a temp store)
// Prints wall-clock rates (which depend on what else runs on the machine) and CPU-time rates (per core).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadInputs, simulateDay } from '../lib/simulation/simulate';
import { simulateDaysParallel } from '../lib/simulation/parallel';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';
import { encodeDay } from '../lib/swarm/store';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function daysFrom(start: string, n: number): string[] {
  const t0 = Date.parse(start + 'T00:00:00Z');
  return Array.from({ length: n }, (_, i) => new Date(t0 + i * 86400e3).toISOString().slice(0, 10));
}

async function main() {
  const nDays = arg('--days', 16);
  const workers = arg('--workers', 2);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} ` +
    '(other processes share these cores: wall-clock rates are lower bounds, CPU-time rates are per dedicated core)');

  // 1. one process, warm: simulate only, then simulate + Arrow encoding
  const inputs = loadInputs();
  const days = daysFrom('2015-06-01', nDays);
  for (const d of daysFrom('2015-05-29', 2)) simulateDay(d, inputs); // JIT warm-up
  let wall = 0, cpu = 0, encCpu = 0, records = 0;
  for (const d of days) {
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    const s = simulateDay(d, inputs, DEFAULT_SIMULATION_PARAMS, 'simulator');
    const c1 = process.cpuUsage(c0);
    wall += performance.now() - w0;
    cpu += (c1.user + c1.system) / 1000;
    const c2 = process.cpuUsage();
    encodeDay(s.day, { source: 'simulated', satellite: 'A', day: d, producer: 'bench', baselines: {}, records: 86400, formatVersion: '1' });
    const c3 = process.cpuUsage(c2);
    encCpu += (c3.user + c3.system) / 1000;
    records += s.day.Timestamp.length;
  }
  console.log(`single process, ${nDays} days, simulate only: ${fmt(records / (wall / 1000))} records/s wall, ` +
    `${fmt(records / (cpu / 1000))} records per CPU-second; with Arrow encoding: ${fmt(records / ((cpu + encCpu) / 1000))} records per CPU-second`);

  // 2. the real thing: worker processes writing the store (temp root), skipping nothing
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sim-'));
  try {
    const s = await simulateDaysParallel({ days, params: DEFAULT_SIMULATION_PARAMS, seed: 'simulator', root, workers, force: true, log: () => undefined });
    const perCore = s.recordsPerCpuSecond;
    const twoCores = perCore * 2;
    const yearRecords = 365 * 86400;
    console.log(`${workers} worker processes, ${nDays} days into the store: ${fmt(s.recordsPerSecond)} records/s wall ` +
      `(${s.seconds.toFixed(1)} s incl. worker start-up), ${fmt(perCore)} records per worker CPU-second`);
    console.log(`projected on 2 dedicated cores: ${fmt(twoCores)} records/s; one year of 1 Hz data (${fmt(yearRecords)} records) ` +
      `in ${(yearRecords / twoCores).toFixed(1)} s (target: >= 1,000,000 records/s, < 40 s)`);
    console.log(`at this run's wall-clock rate a year takes ${(yearRecords / s.recordsPerSecond).toFixed(1)} s`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
