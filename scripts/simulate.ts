// CLI: simulate a profile's Swarm A days into the store (embedded default input; lib/simulation).
// Usage: npx tsx scripts/simulate.ts --profile smoke|default|paper [--null] [--force] [--workers N] [--params FILE]
//   --null     nothing injected, seed 'nullSimulation' (= the signal run's seed), written to build/store/simulated-null
//              (leakage audit): null and signal runs differ only inside the ground-truth spans
//   --force    re-simulate days already stored with the same parameters and seed
//   --params   parameters refitted from real days (scripts/refit-simulator.ts) instead of the shipped defaults
import { PROFILES, ProfileName, activeProfile } from '../lib/core/config';
import { simulateProfile } from '../lib/simulation/parallel';
import { readRefitFile } from '../lib/simulation/calibrate';
import { SimulationParams } from '../lib/simulation/params';

function usage(msg?: string): never {
  if (msg) console.error(`simulate: ${msg}`);
  console.error('usage: npx tsx scripts/simulate.ts --profile smoke|default|paper [--null] [--force] [--workers N] [--params FILE]');
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let profile = activeProfile();
  let isNull = false, force = false;
  let workers: number | undefined;
  let params: SimulationParams | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--profile') {
      const name = args[++i] as ProfileName;
      if (!PROFILES[name]) usage(`unknown profile '${name}'`);
      profile = PROFILES[name];
    } else if (a === '--null') isNull = true;
    else if (a === '--force') force = true;
    else if (a === '--workers') {
      workers = Number(args[++i]);
      if (!Number.isInteger(workers) || workers < 1) usage(`--workers needs a positive integer`);
    } else if (a === '--params') {
      const f = args[++i];
      if (!f) usage('--params needs a file');
      params = readRefitFile(f);
      console.log(`simulate: parameters from ${f}`);
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument '${a}'`);
  }
  const s = await simulateProfile(profile, { null: isNull, force, workers, params });
  if (s.simulated > 0) console.log(`records/s: ${Math.round(s.recordsPerSecond)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
