// Simulated Swarm A orbit: near-circular, near-polar, with the secular J2 precession of the node and of the argument
// of latitude and a linearly decaying altitude; its phase is taken from real Swarm A equator crossings (ESA EEF
// product, and real days in the store), its radius varies along the orbit as the real one does (frozen plus free
// eccentricity, J2 short-period term); 1 Hz positions (Timestamp, Latitude, Longitude, Radius) for the simulator
// that stands in for the Swarm data of paper section 2.3 (ESA Swarm orbit facts).
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

let sunYear = { a: 0, b: 0 };
/** Earth-fixed unit vector towards the mean Sun at Unix ms t (mean-Sun longitude, declination from the day of year). */
export function sunDirection(tMs: number, out: Float64Array | number[] = [0, 0, 0], offset = 0): void {
  const utH = (((tMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const lon = -(utH - 12) * 15 * DEG;
  if (!(tMs >= sunYear.a && tMs < sunYear.b)) {
    const y = new Date(tMs).getUTCFullYear();
    sunYear = { a: Date.UTC(y, 0, 1), b: Date.UTC(y + 1, 0, 1) };
  }
  const doy = (tMs - sunYear.a) / DAY_MS;
  const dec = -23.44 * DEG * Math.cos((TWO_PI * (doy + 10)) / 365.25);
  out[offset] = Math.cos(dec) * Math.cos(lon);
  out[offset + 1] = Math.cos(dec) * Math.sin(lon);
  out[offset + 2] = Math.sin(dec);
}

export interface Orbit {
  params: OrbitParams;
  /** Reference time (Unix ms): the real ascending equator crossing the phase is taken from. */
  epochMs: number;
  inclination: number;
  /** Mean-motion semi-major axis (km) at the epoch and its rate (km/s). */
  a0: number;
  aRate: number;
  /** RAAN and mean argument of latitude at the epoch (radians). */
  raan0: number;
  u0: number;
  /** Precomputed: a0^-1/2, a0^-5/2, and the J2 factors of u and of the node on the a^-7/2 integral. */
  a0InvSqrt: number;
  a0InvSqrt5: number;
  uJ2: number;
  raanJ2: number;
  /** Frozen eccentricity (J2/J3 balance, perigee over the north pole) and the apsidal rate (rad/s) of the free part. */
  frozenE: number;
  apsidalRate: number;
  /** Phase corrections (radians) at the extra real nodes: times (ms), du and dRaan, piecewise linear between. */
  corrTimes: number[];
  corrU: number[];
  corrRaan: number[];
}

/** J3 zonal coefficient (EGM96), for the frozen eccentricity. */
export const J3 = -2.53265649e-6;
const YEAR_S = 365.25 * 86400;

function wrapPi(x: number): number {
  x = (x + Math.PI) % TWO_PI;
  if (x < 0) x += TWO_PI;
  return x - Math.PI;
}

/** Mean-motion semi-major axis (km) whose J2 nodal period at inclination inc (rad) is periodS. */
export function semiMajorAxisForNodalPeriod(periodS: number, inc: number): number {
  if (!(periodS > 4800 && periodS < 7200)) throw new Error(`orbit.nodalPeriodS must be a low-Earth-orbit period (4800-7200 s), got ${periodS}`);
  const target = TWO_PI / periodS;
  const c = Math.cos(inc);
  const re2 = EARTH_EQUATORIAL_RADIUS_KM * EARTH_EQUATORIAL_RADIUS_KM;
  let a = Math.cbrt(MU_KM3_S2 / (target * target));
  for (let it = 0; it < 50; it++) {
    const n = Math.sqrt(MU_KM3_S2 / (a * a * a));
    const du = n * (1 + (0.75 * J2 * re2 * (8 * c * c - 2)) / (a * a));
    const next = a * Math.pow(du / target, 2 / 3);
    if (Math.abs(next - a) < 1e-9) return next;
    a = next;
  }
  return a;
}

export function makeOrbit(p: OrbitParams): Orbit {
  const epochMs = Date.parse(p.nodeTime);
  if (!Number.isFinite(epochMs)) throw new Error(`orbit.nodeTime: not a date: '${p.nodeTime}'`);
  if (!(p.inclinationDeg > 0 && p.inclinationDeg < 180)) throw new Error(`orbit.inclinationDeg must be in (0, 180), got ${p.inclinationDeg}`);
  if (!(Math.abs(p.nodeLongitudeDeg) <= 180)) throw new Error(`orbit.nodeLongitudeDeg must be in [-180, 180], got ${p.nodeLongitudeDeg}`);
  if (!Number.isFinite(p.decayKmPerYear)) throw new Error(`orbit.decayKmPerYear must be a number, got ${p.decayKmPerYear}`);
  if (!(p.freeEccentricity >= 0 && p.freeEccentricity < 0.05)) throw new Error(`orbit.freeEccentricity must be in [0, 0.05), got ${p.freeEccentricity}`);
  const inc = p.inclinationDeg * DEG;
  const a0 = semiMajorAxisForNodalPeriod(p.nodalPeriodS, inc);
  const aRate = p.decayKmPerYear / YEAR_S;
  const c = Math.cos(inc);
  const re2 = EARTH_EQUATORIAL_RADIUS_KM * EARTH_EQUATORIAL_RADIUS_KM;
  const n0 = Math.sqrt(MU_KM3_S2 / (a0 * a0 * a0));
  const o: Orbit = {
    params: p, epochMs, inclination: inc, a0, aRate, raan0: p.nodeLongitudeDeg * DEG + gmst(epochMs), u0: 0,
    a0InvSqrt: 1 / Math.sqrt(a0), a0InvSqrt5: Math.pow(a0, -2.5),
    uJ2: 0.75 * J2 * re2 * (8 * c * c - 2), raanJ2: -1.5 * J2 * re2 * c,
    frozenE: (-J3 / (2 * J2)) * (EARTH_EQUATORIAL_RADIUS_KM / a0) * Math.sin(inc),
    apsidalRate: 0.75 * n0 * J2 * (re2 / (a0 * a0)) * (5 * c * c - 1),
    corrTimes: [], corrU: [], corrRaan: [],
  };
  // the node time is a true crossing (true argument of latitude 0): shift the mean one by the equation of centre
  const [ex, ey] = eccentricityVector(o, epochMs);
  let u = 0;
  for (let it = 0; it < 5; it++) u = -2 * (ex * Math.sin(u) - ey * Math.cos(u));
  o.u0 = u;
  // extra real nodes: the phase error of the secular model there becomes a correction, interpolated in time
  const extra = [...(p.extraNodes ?? [])].map((x, i) => {
    const t = Date.parse(x.time);
    if (!Number.isFinite(t)) throw new Error(`orbit.extraNodes[${i}].time: not a date: '${x.time}'`);
    if (!(Math.abs(x.longitudeDeg) <= 180)) throw new Error(`orbit.extraNodes[${i}].longitudeDeg must be in [-180, 180], got ${x.longitudeDeg}`);
    return { t, lon: x.longitudeDeg };
  }).sort((a, b) => a.t - b.t);
  if (extra.length) {
    const ph = new Float64Array(3);
    const times = [epochMs], du = [0], dr = [0];
    for (const x of extra) {
      if (Math.abs(x.t - epochMs) < 3600e3) continue;
      phases(o, x.t, ph);
      const [ex1, ey1] = eccentricityVector(o, x.t);
      const uTrue = ph[0] + 2 * (ex1 * Math.sin(ph[0]) - ey1 * Math.cos(ph[0]));
      times.push(x.t);
      du.push(-wrapPi(uTrue));
      dr.push(wrapPi(x.lon * DEG + gmst(x.t) - ph[1]));
    }
    const order = times.map((t, i) => i).sort((a, b) => times[a] - times[b]);
    o.corrTimes = order.map((i) => times[i]);
    o.corrU = order.map((i) => du[i]);
    o.corrRaan = order.map((i) => dr[i]);
  }
  return o;
}

/** Eccentricity vector (e cos w, e sin w) at Unix ms t: frozen part (perigee over the north pole) plus the free part turning at the apsidal rate. */
export function eccentricityVector(o: Orbit, tMs: number): [number, number] {
  const w = o.params.freePerigeeDeg * DEG + o.apsidalRate * ((tMs - o.epochMs) / 1000);
  const e = o.params.freeEccentricity;
  return [e * Math.cos(w), o.frozenE + e * Math.sin(w)];
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

function correctionAt(o: Orbit, tMs: number, out: Float64Array): void {
  const T = o.corrTimes;
  const n = T.length;
  if (n === 0) {
    out[0] = out[1] = 0;
    return;
  }
  if (tMs <= T[0]) {
    out[0] = o.corrU[0];
    out[1] = o.corrRaan[0];
    return;
  }
  if (tMs >= T[n - 1]) {
    out[0] = o.corrU[n - 1];
    out[1] = o.corrRaan[n - 1];
    return;
  }
  let i = 0;
  while (tMs > T[i + 1]) i++;
  const f = (tMs - T[i]) / (T[i + 1] - T[i]);
  out[0] = o.corrU[i] + f * (o.corrU[i + 1] - o.corrU[i]);
  out[1] = o.corrRaan[i] + f * (o.corrRaan[i + 1] - o.corrRaan[i]);
}

/**
 * Integrated phases since the epoch (radians) for a linear a(t): exact integrals of n ~ a^-3/2 and of
 * n (Re/a)^2 ~ a^-7/2, so any time is computed directly (days are independent and can run in parallel).
 * Writes [u, raan, a] into out (no allocation: called once per sample); u is the mean argument of latitude.
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
  if (o.corrTimes.length) {
    const c = CORR;
    correctionAt(o, tMs, c);
    out[0] += c[0];
    out[1] += c[1];
  }
}
const CORR = new Float64Array(2);

/** Mean argument of latitude u (rad), right ascension of the node (rad) and semi-major axis (km) at Unix ms t. */
export function orbitPhase(o: Orbit, tMs: number): { u: number; raan: number; a: number } {
  const ph = new Float64Array(3);
  phases(o, tMs, ph);
  return { u: ph[0], raan: ph[1], a: ph[2] };
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
  const j2r = 0.25 * J2 * EARTH_EQUATORIAL_RADIUS_KM * EARTH_EQUATORIAL_RADIUS_KM * si * si;
  for (let k = 0; k < n; k++) {
    const t = times[k];
    phases(o, t, ph);
    const um = ph[0], raan = ph[1], a = ph[2];
    // near-circular orbit to first order in e: equation of centre along track, radius from the eccentricity
    // vector, plus the J2 short-period radial term (amplitude J2 Re^2 sin^2 i / 4a at twice the orbital frequency)
    const w = o.params.freePerigeeDeg * DEG + o.apsidalRate * ((t - o.epochMs) / 1000);
    const ex = o.params.freeEccentricity * Math.cos(w), ey = o.frozenE + o.params.freeEccentricity * Math.sin(w);
    const cum = Math.cos(um), sum = Math.sin(um);
    const u = um + 2 * (ex * sum - ey * cum);
    const radius = a * (1 - ex * cum - ey * sum) + o.params.radiusOffsetKm + (j2r / a) * Math.cos(2 * um);
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
    tr.Radius[k] = radius * 1000;
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
