// Spherical-Earth geometry shared by every stage: great-circle distance (dataset selection, declustering, case
// study maps) and mean solar local time (night/day selection, paper section 2.3; track local times, section 2.2).

/** Mean Earth radius (km), IUGG. */
export const EARTH_RADIUS_KM = 6371.0088;
const D2R = Math.PI / 180;
/** Kilometres per degree of great-circle arc. */
export const KM_PER_DEG = EARTH_RADIUS_KM * D2R;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Great-circle distance in km between two points given in degrees (haversine, stable at small distances). */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const p1 = lat1 * D2R;
  const p2 = lat2 * D2R;
  const s1 = Math.sin((p2 - p1) / 2);
  const s2 = Math.sin(((lon2 - lon1) * D2R) / 2);
  const h = s1 * s1 + Math.cos(p1) * Math.cos(p2) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Mean solar local time, hours in [0, 24): UT + longitude / 15. */
export function localTimeHours(tMs: number, lonDeg: number): number {
  const ut = (((tMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  let lt = (ut + lonDeg / 15) % 24;
  if (lt < 0) lt += 24;
  return lt;
}
