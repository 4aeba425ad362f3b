// Simulated Swarm A orbit: circular, near-polar, with the secular J2 precession of the node and of the argument of
// latitude and a linearly decaying altitude; 1 Hz positions (Timestamp, Latitude, Longitude, Radius) for the
// simulator that stands in for the Swarm data of paper section 2.3 (METHOD-NOTES 'Orbit facts').
import { OrbitParams } from './params';

/** WGS84 / EGM constants. */
export const MU_KM3_S2 = 398600.4418;
export const EARTH_EQUATORIAL_RADIUS_KM = 6378.137;
/** Mean Earth radius used for "altitude" of the circular orbit. */
export const EARTH_MEAN_RADIUS_KM = 6371.2;
export const J2 = 1.08262668e-3;
const SQRT_MU = Math.sqrt(MU_KM3_S2);
const DEG = Math.PI / 180;
const TWO_PI = 2 * Math.PI;
const DAY_MS = 86_400_000;
/** J2000.0 epoch (2000-01-01T12:00 TT ~ UTC here), Unix ms. */
const J2000_MS = Date.UTC(2000, 0, 1, 12, 0, 0);

/** Greenwich mean sidereal angle (radians) at Unix ms t (IAU 1982 linear term; UT1 ~ UTC). */
export function gmst(tMs: number): number {
  const d = (tMs - J2000_MS) / DAY_MS;
  const deg = 280.46061837 + 360.98564736629 * d;
  return ((deg % 360) + 360) % 360 * DEG;
}

/** Right ascension of the mean Sun (radians) at Unix ms t: the hour angle of the mean Sun is UT - 12 h. */
export function meanSunRightAscension(tMs: number): number {
  const utH = (((tMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  return gmst(tMs) - (utH - 12) * 15 * DEG;
}

/** Mean local solar time (hours, [0, 24)) at Unix ms t and longitude (degrees). */
export function localSolarTime(tMs: number, lonDeg: number): number {
  const utH = (((tMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const lt = utH + lonDeg / 15;
  return ((lt % 24) + 24) % 24;
}

export interface Orbit {
  params: OrbitParams;
  epochMs: number;
  inclination: number;
  /** Semi-major axis (km) at the epoch and its rate (km/s). */
  a0: number;
  aRate: number;
  /** RAAN and argument of latitude at the epoch (radians). */
  raan0: number;
  u0: number;
  /** Precomputed: a0^-1/2, a0^-5/2, and the J2 factors of u and of the node on the a^-7/2 integral. */
  a0InvSqrt: number;
  a0InvSqrt5: number;
  uJ2: number;
  raanJ2: number;
}

export function makeOrbit(p: OrbitParams): Orbit {
  const epochMs = Date.parse(p.epoch);
  const endMs = Date.parse(p.altitudeEndDate);
  if (!Number.isFinite(epochMs)) throw new Error(`orbit.epoch: not a date: '${p.epoch}'`);
  if (!Number.isFinite(endMs) || endMs <= epochMs) throw new Error(`orbit.altitudeEndDate must be a date after orbit.epoch, got '${p.altitudeEndDate}'`);
  if (!(p.inclinationDeg > 0 && p.inclinationDeg < 180)) throw new Error(`orbit.inclinationDeg must be in (0, 180), got ${p.inclinationDeg}`);
  const a0 = EARTH_MEAN_RADIUS_KM + p.altitudeStartKm;
  const aRate = ((p.altitudeEndKm - p.altitudeStartKm) * 1000) / (endMs - epochMs); // km per s
  const raan0 = meanSunRightAscension(epochMs) + (p.ascendingNodeLocalTimeH - 12) * 15 * DEG;
  const inc = p.inclinationDeg * DEG;
  const c = Math.cos(inc);
  const re2 = EARTH_EQUATORIAL_RADIUS_KM * EARTH_EQUATORIAL_RADIUS_KM;
  return {
    params: p, epochMs, inclination: inc, a0, aRate, raan0, u0: p.argumentOfLatitudeDeg * DEG,
    a0InvSqrt: 1 / Math.sqrt(a0), a0InvSqrt5: Math.pow(a0, -2.5),
    uJ2: 0.75 * J2 * re2 * (8 * c * c - 2), raanJ2: -1.5 * J2 * re2 * c,
  };
}

/** Semi-major axis (km) at Unix ms t. */
export function semiMajorAxis(o: Orbit, tMs: number): number {
  return o.a0 + o.aRate * ((tMs - o.epochMs) / 1000);
}

/**
 * Secular rates at semi-major axis a (rad/s): mean motion n, argument-of-latitude rate du
 * (n plus the J2 rates of perigee and mean anomaly for e = 0) and node rate dRaan.
 */
export function secularRates(o: Orbit, a: number): { n: number; du: number; dRaan: number } {
  const n = Math.sqrt(MU_KM3_S2 / (a * a * a));
  const c = Math.cos(o.inclination);
  const k = J2 * (EARTH_EQUATORIAL_RADIUS_KM / a) ** 2;
  return { n, du: n * (1 + 0.75 * k * (8 * c * c - 2)), dRaan: -1.5 * n * k * c };
}

/**
 * Integrated phases since the epoch (radians) for a linear a(t): exact integrals of n ~ a^-3/2 and of
 * n (Re/a)^2 ~ a^-7/2, so any time is computed directly (days are independent and can run in parallel).
 * Writes [u, raan, a] into out (no allocation: called once per sample).
 */
function phases(o: Orbit, tMs: number, out: Float64Array): void {
  const dt = (tMs - o.epochMs) / 1000;
  const a = o.a0 + o.aRate * dt;
  const sqrtMu = SQRT_MU;
  let In: number; // integral of n dt
  let I7: number; // integral of sqrt(mu) a^-7/2 dt
  if (o.aRate === 0 || Math.abs(o.aRate * dt) < 1e-9 * o.a0) {
    In = sqrtMu * Math.pow(o.a0, -1.5) * dt;
    I7 = sqrtMu * Math.pow(o.a0, -3.5) * dt;
  } else {
    const k = o.aRate;
    const ra = 1 / Math.sqrt(a);
    const ra5 = ra * ra * ra * ra * ra;
    In = ((2 * sqrtMu) / k) * (o.a0InvSqrt - ra);
    I7 = ((2 * sqrtMu) / (5 * k)) * (o.a0InvSqrt5 - ra5);
  }
  out[0] = o.u0 + In + o.uJ2 * I7;
  out[1] = o.raan0 + o.raanJ2 * I7;
  out[2] = a;
}

export interface Track {
  Timestamp: Float64Array;
  Latitude: Float64Array;
  Longitude: Float64Array;
  Radius: Float64Array;
  /** Earth-fixed unit position vector (x, y, z interleaved), for frame rotations. */
  unit: Float64Array;
}

/** Positions at the given times (Unix ms). */
export function positionsAt(o: Orbit, times: ArrayLike<number>): Track {
  const n = times.length;
  const tr: Track = {
    Timestamp: new Float64Array(n),
    Latitude: new Float64Array(n),
    Longitude: new Float64Array(n),
    Radius: new Float64Array(n),
    unit: new Float64Array(3 * n),
  };
  const ci = Math.cos(o.inclination);
  const si = Math.sin(o.inclination);
  const ph = new Float64Array(3);
  for (let k = 0; k < n; k++) {
    const t = times[k];
    phases(o, t, ph);
    const u = ph[0], raan = ph[1], a = ph[2];
    const lam = raan - gmst(t); // node longitude in the Earth-fixed frame
    const cu = Math.cos(u), su = Math.sin(u);
    const cl = Math.cos(lam), sl = Math.sin(lam);
    const x = cu * cl - su * ci * sl;
    const y = cu * sl + su * ci * cl;
    const z = su * si;
    tr.Timestamp[k] = t;
    tr.Latitude[k] = Math.asin(z) / DEG;
    let lon = Math.atan2(y, x) / DEG;
    if (lon >= 180) lon -= 360;
    tr.Longitude[k] = lon;
    tr.Radius[k] = a * 1000;
    tr.unit[3 * k] = x;
    tr.unit[3 * k + 1] = y;
    tr.unit[3 * k + 2] = z;
  }
  return tr;
}

/** 1 Hz times of one UTC day (YYYY-MM-DD): 86,400 samples starting at 00:00:00. */
export function dayTimes(day: string, cadenceS = 1): Float64Array {
  const t0 = Date.parse(day + 'T00:00:00Z');
  if (!Number.isFinite(t0) || !/^\d{4}-\d\d-\d\d$/.test(day)) throw new Error(`not a UTC day (YYYY-MM-DD): '${day}'`);
  const n = Math.round(86400 / cadenceS);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = t0 + i * cadenceS * 1000;
  return t;
}

/** Nodal period (s) at Unix ms t: 2 pi / (rate of the argument of latitude). */
export function nodalPeriodS(o: Orbit, tMs: number): number {
  return TWO_PI / secularRates(o, semiMajorAxis(o, tMs)).du;
}

/** Local time of the ascending node (hours) at Unix ms t, from the orbit elements. */
export function ascendingNodeLocalTime(o: Orbit, tMs: number): number {
  const ph = new Float64Array(3);
  phases(o, tMs, ph);
  const raan = ph[1];
  const lt = 12 + (raan - meanSunRightAscension(tMs)) / (15 * DEG);
  return ((lt % 24) + 24) % 24;
}

/** Ascending equator crossings in a track: linearly interpolated times (Unix ms) and longitudes. */
export function ascendingCrossings(tr: Track): { time: number[]; longitude: number[] } {
  const time: number[] = [];
  const longitude: number[] = [];
  for (let k = 1; k < tr.Latitude.length; k++) {
    const a = tr.Latitude[k - 1], b = tr.Latitude[k];
    if (a < 0 && b >= 0) {
      const f = -a / (b - a);
      time.push(tr.Timestamp[k - 1] + f * (tr.Timestamp[k] - tr.Timestamp[k - 1]));
      let dl = tr.Longitude[k] - tr.Longitude[k - 1];
      if (dl > 180) dl -= 360;
      if (dl < -180) dl += 360;
      let lon = tr.Longitude[k - 1] + f * dl;
      if (lon >= 180) lon -= 360;
      if (lon < -180) lon += 360;
      longitude.push(lon);
    }
  }
  return { time, longitude };
}
