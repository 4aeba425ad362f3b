// Dobrovolsky preparation-zone radius R = 10^(0.43 M) km (Dobrovolsky, Zubkov, Miachkin 1979), the spatial
// window of the paper's datasets (section 2.3, Table 1) and of the case-study maps (Figures 1-2).

import { DOBROVOLSKY_EXPONENT, PAPER_MAGNITUDE_BINS } from '../core/paper';

/** Radius of the earthquake preparation zone in km for magnitude M. */
export function dobrovolskyRadiusKm(magnitude: number, exponent = DOBROVOLSKY_EXPONENT): number {
  if (!Number.isFinite(magnitude)) throw new Error(`dobrovolskyRadiusKm: magnitude must be finite, got ${magnitude}`);
  return Math.pow(10, exponent * magnitude);
}

export { EARTH_RADIUS_KM } from '../core/geo';
import { EARTH_RADIUS_KM } from '../core/geo';

/** Radius as a great-circle angle in degrees. */
export function dobrovolskyRadiusDeg(magnitude: number): number {
  return (dobrovolskyRadiusKm(magnitude) / EARTH_RADIUS_KM) * (180 / Math.PI);
}

/** The paper's magnitude bins (Table 1, DataSets 11-13) with its event counts: defined in lib/core/paper.ts. */
export { PAPER_MAGNITUDE_BINS, DOBROVOLSKY_EXPONENT };
