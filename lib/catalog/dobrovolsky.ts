// Dobrovolsky preparation-zone radius R = 10^(0.43 M) km (Dobrovolsky, Zubkov, Miachkin 1979), the spatial
// window of the paper's datasets (section 2.3, Table 1) and of the case-study maps (Figures 1-2).

/** Radius of the earthquake preparation zone in km for magnitude M. */
export function dobrovolskyRadiusKm(magnitude: number, exponent = 0.43): number {
  if (!Number.isFinite(magnitude)) throw new Error(`dobrovolskyRadiusKm: magnitude must be finite, got ${magnitude}`);
  return Math.pow(10, exponent * magnitude);
}

export { EARTH_RADIUS_KM } from '../core/geo';
import { EARTH_RADIUS_KM } from '../core/geo';

/** Radius as a great-circle angle in degrees. */
export function dobrovolskyRadiusDeg(magnitude: number): number {
  return (dobrovolskyRadiusKm(magnitude) / EARTH_RADIUS_KM) * (180 / Math.PI);
}

/** The paper's magnitude bins (Table 1, DataSets 11-13) with its event counts. */
export const PAPER_MAGNITUDE_BINS = [
  { dataset: 11, label: '4.8-5.2', min: 4.8, max: 5.2, paperEvents: 5136 },
  { dataset: 12, label: '5.2-5.8', min: 5.2, max: 5.8, paperEvents: 2793 },
  { dataset: 13, label: '5.8-7.5', min: 5.8, max: 7.5, paperEvents: 853 },
] as const;
