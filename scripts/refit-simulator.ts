// CLI: refit the Swarm A simulator's parameters from real days in the store (after `make data`), by magnetic
// latitude, local time and Kp, with the 0.1-0.5 Hz band power; writes them beside the defaults as a JSON file that
// `npm run simulate -- --params FILE` uses (lib/simulation/calibrate.ts; paper section 2.3 stand-in).
// Usage: npx tsx scripts/refit-simulator.ts [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--max-days N] [--out FILE] [--store DIR]
import * as path from 'path';
import { paths, rel } from '../lib/core/paths';
import { writeJsonAtomic } from '../lib/core/atomic';
import { SwarmStore } from '../lib/swarm/store';
import { SwarmDay } from '../lib/swarm/types';
import { loadInputs } from '../lib/simulation/simulate';
import { changedParams } from '../lib/simulation/simulate';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';
import { refitFromDays } from '../lib/simulation/calibrate';

export const DEFAULT_REFIT_FILE = path.join(paths.build, 'simulation', 'simulator-params.refit.json');

function usage(msg?: string): never {
  if (msg) console.error(`refit-simulator: ${msg}`);
  console.error('usage: npx tsx scripts/refit-simulator.ts [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--max-days N] [--out FILE] [--store DIR]');
  process.exit(2);
}

function main() {
  const a = process.argv.slice(2);
  let from = '0000-00-00', to = '9999-99-99', out = DEFAULT_REFIT_FILE, storeDir = paths.store('real'), maxDays = 60;
  for (let i = 0; i < a.length; i++) {
    const v = a[i + 1];
    if (a[i] === '--from' && v) { from = v; i++; }
    else if (a[i] === '--to' && v) { to = v; i++; }
    else if (a[i] === '--out' && v) { out = path.resolve(v); i++; }
    else if (a[i] === '--store' && v) { storeDir = path.resolve(v); i++; }
    else if (a[i] === '--max-days' && v) {
      maxDays = Number(v);
      if (!Number.isInteger(maxDays) || maxDays < 1) usage('--max-days needs a positive integer');
      i++;
    } else if (a[i] === '--help' || a[i] === '-h') usage();
    else usage(`unknown or incomplete argument '${a[i]}'`);
  }
  const store = new SwarmStore(() => storeDir);
  const all = store.listDays('real', 'A').filter((d) => d >= from && d <= to);
  if (all.length === 0) {
    console.error(`refit-simulator: no real Swarm A days in ${rel(storeDir)}${from !== '0000-00-00' || to !== '9999-99-99' ? ` between ${from} and ${to}` : ''}; ` +
      'run `make data` first (it downloads Swarm A and imports it into the store)');
    process.exit(1);
  }
  // spread the days over the period when there are more than maxDays
  const step = Math.max(1, Math.ceil(all.length / maxDays));
  const chosen = all.filter((_, i) => i % step === 0);
  console.log(`refit-simulator: ${chosen.length} of ${all.length} real days in ${rel(storeDir)} (${chosen[0]}..${chosen[chosen.length - 1]})`);
  const days: SwarmDay[] = [];
  for (const d of chosen) {
    const day = store.readDay('real', 'A', d);
    if (day) days.push(day);
  }
  const inputs = loadInputs();
  const t0 = Date.now();
  const r = refitFromDays(days, inputs, DEFAULT_SIMULATION_PARAMS);
  for (const n of r.notes) console.log(`  ${n}`);
  const changed = changedParams(DEFAULT_SIMULATION_PARAMS, r.params);
  writeJsonAtomic(out, {
    about: 'Swarm A simulator parameters refitted from real days in the store (scripts/refit-simulator.ts); use with `npm run simulate -- --params <this file>`',
    generatedAt: new Date().toISOString(), store: rel(storeDir), days: r.days, notes: r.notes, changed,
    params: { orbit: r.params.orbit, magnetic: r.params.magnetic },
  });
  for (const c of changed) {
    const [g, k] = c.split('.');
    const before = JSON.stringify((DEFAULT_SIMULATION_PARAMS as unknown as Record<string, Record<string, unknown>>)[g][k]);
    const after = JSON.stringify((r.params as unknown as Record<string, Record<string, unknown>>)[g][k]);
    console.log(`  ${c}: ${before.length > 60 ? before.slice(0, 57) + '...' : before} -> ${after.length > 60 ? after.slice(0, 57) + '...' : after}`);
  }
  console.log(`refit-simulator: ${changed.length} parameters changed, written to ${rel(out)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
