// Synthetic orbit-like 1 Hz days for the dataset tests and benchmark only (not lib/simulation): circular near-polar
// orbit (87.35 deg, 94 min, local-time drift), dipole-like field with noise, an Ne day/night cycle, optional gaps,
// flags and NaN. Exercises the dataset path of paper section 3.1 / Table 1 at full 1 Hz volume.
import { Rng } from '../core/random';
import { allocColumns, SwarmDay } from '../swarm/types';

export interface SyntheticDayOptions {
  /** Probability per second that a gap starts, and its length in seconds. */
  gapRate?: number;
  gapSeconds?: number;
  /** Probability per second that a sample is flagged (Flags_B = 1). */
  flagRate?: number;
  /** Probability per second that Ne is missing (NaN). */
  nanRate?: number;
}

const D2R = Math.PI / 180;

/** One synthetic Swarm A day (UTC day 'YYYY-MM-DD'). */
export function syntheticDay(day: string, rng: Rng, o: SyntheticDayOptions = {}): SwarmDay {
  const dayStart = Date.parse(day + 'T00:00:00Z');
  if (!Number.isFinite(dayStart)) throw new Error(`syntheticDay: bad day '${day}'`);
  const inc = 87.35 * D2R;
  const period = 5640; // s
  const epoch = Date.parse('2014-01-01T00:00:00Z');
  const gapRate = o.gapRate ?? 0, gapSeconds = o.gapSeconds ?? 30, flagRate = o.flagRate ?? 0, nanRate = o.nanRate ?? 0;
  const cols = allocColumns(86_400);
  let n = 0;
  for (let s = 0; s < 86_400; s++) {
    if (gapRate > 0 && rng.next() < gapRate) {
      s += gapSeconds - 1;
      continue;
    }
    const t = dayStart + s * 1000;
    const ts = (t - epoch) / 1000;
    const u = (2 * Math.PI * ts) / period;
    const lat = Math.asin(Math.sin(inc) * Math.sin(u));
    let lon = Math.atan2(Math.cos(inc) * Math.sin(u), Math.cos(u)) / D2R - (360 * ts) / 86_164.1 + (360 * ts) / (266 * 86_400) + (360 * ts) / 86_400 / 365.25;
    lon = ((((lon + 180) % 360) + 360) % 360) - 180;
    const latDeg = lat / D2R;
    cols.Timestamp[n] = t;
    cols.Latitude[n] = latDeg;
    cols.Longitude[n] = lon;
    cols.Radius[n] = 6_371_200 + 450_000;
    cols.B_N[n] = 28_000 * Math.cos(lat) + rng.normal(0, 2);
    cols.B_E[n] = 1_500 * Math.sin(lon * D2R) + rng.normal(0, 2);
    cols.B_C[n] = 45_000 * Math.sin(lat) + rng.normal(0, 2);
    const lt = ((((t % 86_400_000) / 3_600_000 + lon / 15) % 24) + 24) % 24;
    cols.Ne[n] = nanRate > 0 && rng.next() < nanRate ? NaN : 2e5 * (1.2 + Math.cos(((lt - 14) / 24) * 2 * Math.PI)) + rng.normal(0, 5e3);
    cols.Flags_B[n] = flagRate > 0 && rng.next() < flagRate ? 1 : 0;
    cols.Flags_Ne[n] = 0;
    n++;
  }
  const out = allocColumns(n);
  for (const k of Object.keys(out) as (keyof typeof out)[]) (out[k] as Float64Array).set((cols[k] as Float64Array).subarray(0, n));
  return { ...out, satellite: 'A', day, source: 'simulated' };
}
