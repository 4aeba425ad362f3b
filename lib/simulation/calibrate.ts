// Calibration of the Swarm A simulator on real Swarm A (the embedded default standing in for the Swarm data of paper
// section 2.3): the orbit's phase and nodal period from real ascending equator crossings, its radius profile from
// real positions, and the magnetic background (low/mid-latitude noise by magnetic latitude, storm field per
// component with an induction factor, polar-cap field) from real residuals to IGRF-13. Used to derive the shipped
// defaults (lib/simulation/params.ts, checked by test/simulation-realism.test.ts) and by scripts/refit-simulator.ts.
import * as fs from 'fs';
import { DeepPartial, MagneticBackgroundParams, OrbitParams, SimulationParams, withParams } from './params';
import { ascendingCrossings, J2, EARTH_EQUATORIAL_RADIUS_KM, localSolarTime, makeOrbit, orbitPhase, positionsAt, sunDirection } from './orbit';
import { coefficientsAt, decimalYear, dipoleAxis, ecefToNec, mainFieldEcef, MainFieldModel, necBasis } from './mainfield';
import {
  arCorrelation, dayWeight, lowLatSigma, polarCapWeight, secondDifferenceVariance, SlottedSeries, smoothCorrelation, smoothIndexAt,
  smoothIndexSeries, tableAt,
} from './background';
import {
  magneticLatitudes, MagSeries, median, Residual, residualToMainField, robustSigma, secondDifferences, separationKm, trackFrom,
} from './realism';
import { highPass } from './signal';
import { SwarmDay } from '../swarm/types';

const DEG = Math.PI / 180;

/** Least squares of y on the columns of X (normal equations, Gaussian elimination with partial pivoting). */
export function leastSquares(X: number[][], y: number[]): number[] {
  const p = X[0].length;
  const A = Array.from({ length: p }, () => new Array(p + 1).fill(0));
  for (let r = 0; r < X.length; r++) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) A[i][j] += X[r][i] * X[r][j];
      A[i][p] += X[r][i] * y[r];
    }
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    if (Math.abs(A[c][c]) < 1e-300) throw new Error('leastSquares: singular system (too few or collinear data)');
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= p; j++) A[r][j] -= f * A[c][j];
    }
  }
  return A.map((row, i) => row[p] / A[i][i]);
}

/**
 * Phase and nodal period from real ascending crossings of one or more days: the nodal period is the slope of the
 * crossing times against their orbit count; the first crossing gives nodeTime and nodeLongitudeDeg.
 */
export function fitNodes(nodes: { time: number[]; longitude: number[] }): { nodeTime: string; nodeLongitudeDeg: number; nodalPeriodS: number; residualS: number[] } {
  const t = nodes.time;
  if (t.length < 3) throw new Error(`fitNodes: need at least 3 crossings, got ${t.length}`);
  const guess = (t[1] - t[0]) / 1000;
  if (!(guess > 4800 && guess < 7200)) throw new Error(`fitNodes: first two crossings are ${guess.toFixed(0)} s apart, not one orbit`);
  const k = t.map((x) => Math.round((x - t[0]) / 1000 / guess));
  const [c0, period] = leastSquares(k.map((v) => [1, v]), t.map((x) => (x - t[0]) / 1000));
  return {
    nodeTime: new Date(t[0]).toISOString(),
    nodeLongitudeDeg: nodes.longitude[0],
    nodalPeriodS: Math.round(period * 1000) / 1000,
    residualS: t.map((x, i) => (x - t[0]) / 1000 - c0 - period * k[i]),
  };
}

/**
 * Radius profile from real positions (geocentric radius in metres): with the phase fixed, fit
 * r - a(t) - (J2 short-period term) = offset - a (ex cos u + ey sin u) and return the offset and the free
 * eccentricity (the fitted vector minus the frozen one, turned back to nodeTime at the apsidal rate).
 */
export function fitRadius(orbit: OrbitParams, s: { Timestamp: ArrayLike<number>; Radius: ArrayLike<number> }): { radiusOffsetKm: number; freeEccentricity: number; freePerigeeDeg: number; rmsKm: number } {
  const base = makeOrbit({ ...orbit, radiusOffsetKm: 0, freeEccentricity: 0, freePerigeeDeg: 0 });
  const n = s.Timestamp.length;
  if (n < 10) throw new Error(`fitRadius: need at least 10 positions, got ${n}`);
  const si = Math.sin(base.inclination);
  const X: number[][] = [], y: number[] = [];
  for (let k = 0; k < n; k++) {
    const { u, a } = orbitPhase(base, s.Timestamp[k]);
    const j2r = (0.25 * J2 * EARTH_EQUATORIAL_RADIUS_KM * EARTH_EQUATORIAL_RADIUS_KM * si * si) / a;
    X.push([1, -a * Math.cos(u), -a * Math.sin(u)]);
    y.push(s.Radius[k] / 1000 - a - j2r * Math.cos(2 * u));
  }
  const [off, ex, ey] = leastSquares(X, y);
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (y[k] - (X[k][0] * off + X[k][1] * ex + X[k][2] * ey)) ** 2;
  const fx = ex, fy = ey - base.frozenE;
  const tMid = Number(s.Timestamp[Math.floor(n / 2)]);
  const w = Math.atan2(fy, fx) - base.apsidalRate * ((tMid - base.epochMs) / 1000);
  return {
    radiusOffsetKm: round(off, 4), freeEccentricity: round(Math.hypot(fx, fy), 7),
    freePerigeeDeg: round((((w / DEG) % 360) + 360) % 360, 3), rmsKm: Math.sqrt(ss / n),
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Per-sample context of a real (or simulated) series for the magnetic fit. */
export interface FitContext {
  residual: Residual;
  kp: Float64Array;
  dst: Float64Array;
  /** Earth-fixed unit vector towards the geomagnetic north pole. */
  dipole: [number, number, number];
}

/** Context of a residual: smoothed real Kp and Dst at its times and the dipole axis of the model. */
export function fitContext(model: MainFieldModel, residual: Residual, kp: SlottedSeries, dst: SlottedSeries): FitContext {
  const t = residual.Timestamp;
  return {
    residual, kp: smoothIndexSeries(kp, t), dst: smoothIndexSeries(dst, t),
    dipole: dipoleAxis(coefficientsAt(model, decimalYear(t[Math.floor(t.length / 2)]))),
  };
}

export interface MagneticFit {
  /** The refitted parameters (to be merged over the base magnetic parameters). */
  params: Partial<MagneticBackgroundParams>;
  /** What each was fitted from (shown by the refit command and the notebook). */
  notes: string[];
}

const sq = (x: number) => x * x;

/**
 * Fit the magnetic background to a real residual (B minus IGRF-13): the storm field per component (below 50 deg
 * |magnetic latitude|), the polar-cap field and noise level, the oval's Kp shift, and the low/mid-latitude noise
 * table with its smooth/rough ratio from robust sigmas of second differences at 10/20/40 s. The assumptions the
 * data cannot say (dayGain, perKp, correlation times, instrument noise at 10 s cadence) are taken from `base`.
 */
export function fitMagnetic(ctxs: FitContext[], base: MagneticBackgroundParams): MagneticFit {
  const notes: string[] = [];
  const p: MagneticBackgroundParams = JSON.parse(JSON.stringify(base));
  // 1. storm field below 50 deg: per-component regressions through the origin on Dst x (dipole axis . NEC)
  let sNN = 0, sNy = 0, sCC = 0, sCy = 0, sEE = 0, sEy = 0, kSum = 0, kN = 0;
  const Bas = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const c of ctxs) {
    const r = c.residual;
    const [dx, dy, dz] = c.dipole;
    for (let k = 0; k < r.Timestamp.length; k++) {
      if (!(Math.abs(r.magLat[k]) < 50) || !Number.isFinite(r.dN[k] + r.dE[k] + r.dC[k])) continue;
      const u = r.track.unit;
      necBasis(u[3 * k], u[3 * k + 1], u[3 * k + 2], Bas);
      const D = c.dst[k];
      const xN = D * (Bas[0] * dx + Bas[1] * dy + Bas[2] * dz);
      const xE = D * (Bas[3] * dx + Bas[4] * dy + Bas[5] * dz);
      const xC = D * (Bas[6] * dx + Bas[7] * dy + Bas[8] * dz);
      sNN += xN * xN; sNy += xN * r.dN[k];
      sEE += xE * xE; sEy += xE * r.dE[k];
      sCC += xC * xC; sCy += xC * r.dC[k];
      kSum += Math.pow(6371.2 / (r.track.Radius[k] / 1000), 3);
      kN++;
    }
  }
  if (kN >= 10 && sNN > 0 && sCC > 0) {
    const aN = sNy / sNN, aC = sCy / sCC, aE = sEE > 0 ? sEy / sEE : 0;
    const kbar = kSum / kN;
    const x = (aN - aC) / (2 * aN + aC);
    p.stormInductionQ = round(x / kbar, 3);
    p.stormExternalFactor = round(aN / (1 + x), 3);
    p.stormEastFactor = round(aE, 3);
    notes.push(`storm field from ${kN} samples below 50 deg: N x ${aN.toFixed(3)}, C x ${aC.toFixed(3)}, E x ${aE.toFixed(3)} of Dst along the dipole axis -> external factor ${p.stormExternalFactor}, induction Q ${p.stormInductionQ}`);
  } else notes.push('storm field: fewer than 10 samples below 50 deg, kept');

  const white = 6 * sq(p.instrumentNoiseNt);
  // per-sample pooled second differences at 10 s (for the oval, cap and low-latitude fits)
  const ovalC: number[] = [], ovalW: number[] = [], ovalKp: number[] = [], ovalD2: number[][] = [], ovalLow: number[] = [];
  const capD2: number[] = [], capAur: number[] = [], capLow: number[] = [];
  let pcNum = 0, pcDen = 0, pcN = 0;
  const bandD2: Map<number, { d10: number[]; d40: number[]; fac: number[]; kp: number[] }> = new Map();
  const bands = p.lowLatNodesDeg.map((c, i) => {
    const lo = i === 0 ? 0 : (p.lowLatNodesDeg[i - 1] + c) / 2;
    const hi = i === p.lowLatNodesDeg.length - 1 ? 2 * c - lo : (c + p.lowLatNodesDeg[i + 1]) / 2;
    return [lo, hi];
  });
  for (const c of ctxs) {
    const r = c.residual;
    const t = r.Timestamp;
    const stepS = (t[1] - t[0]) / 1000;
    const L10 = Math.round(10 / stepS), L40 = Math.round(40 / stepS);
    const d10 = [r.dN, r.dE, r.dC].map((x) => secondDifferences(t, x, L10));
    const d40 = [r.dN, r.dE, r.dC].map((x) => secondDifferences(t, x, L40));
    const sun = [0, 0, 0];
    for (let k = 0; k < t.length; k++) {
      const aml = Math.abs(r.magLat[k]);
      const kp = c.kp[k];
      const centre = p.ovalQuietLatDeg - p.ovalPerKpDeg * kp;
      const v10 = d10.map((x) => x[k]);
      if (aml >= 40 && aml < 80 && v10.every(Number.isFinite)) {
        ovalC.push(aml);
        ovalW.push(sq(v10[0]) + sq(v10[1]));
        ovalD2.push([v10[0], v10[1]]);
        ovalKp.push(kp);
        ovalLow.push(lowLatSigma(p, aml, r.localTime[k], kp));
      }
      // polar cap: one oval width poleward of the centre
      if (aml >= centre + p.ovalWidthDeg * 1.5) {
        if (v10.every(Number.isFinite)) {
          capD2.push(...v10);
          capAur.push(p.auroralSigmaBaseNt * Math.pow(1 + kp, p.auroralSigmaKpExponent));
          capLow.push(lowLatSigma(p, aml, r.localTime[k], kp));
        }
        const u = r.track.unit;
        necBasis(u[3 * k], u[3 * k + 1], u[3 * k + 2], Bas);
        sunDirection(t[k], sun);
        const hN = Bas[0] * sun[0] + Bas[1] * sun[1] + Bas[2] * sun[2];
        const hE = Bas[3] * sun[0] + Bas[4] * sun[1] + Bas[5] * sun[2];
        const h = Math.hypot(hN, hE);
        if (h > 1e-6 && kp > 0) {
          const sgn = r.magLat[k] >= 0 ? 1 : -1;
          // storm field removed first (its N and E at this point)
          const q = p.stormInductionQ * Math.pow(6371.2 / (r.track.Radius[k] / 1000), 3);
          const [dx, dy, dz] = c.dipole;
          const fN = p.stormExternalFactor * c.dst[k] * (1 + q) * (Bas[0] * dx + Bas[1] * dy + Bas[2] * dz);
          const fE = p.stormEastFactor * c.dst[k] * (Bas[3] * dx + Bas[4] * dy + Bas[5] * dz);
          const proj = (sgn * ((r.dN[k] - fN) * hN + (r.dE[k] - fE) * hE)) / h;
          const w = polarCapWeight(p, aml, kp) * kp;
          if (!Number.isFinite(proj)) continue;
          pcNum += proj * w;
          pcDen += w * w;
          pcN++;
        }
      }
      for (let b = 0; b < bands.length; b++) {
        if (aml >= bands[b][0] && aml < bands[b][1] && aml < 50) {
          if (!bandD2.has(b)) bandD2.set(b, { d10: [], d40: [], fac: [], kp: [] });
          const e = bandD2.get(b)!;
          e.d10.push(...v10);
          e.d40.push(...d40.map((x) => x[k]));
          e.fac.push((1 + p.lowLatDayGain * dayWeight(r.localTime[k])) * (1 + p.lowLatPerKp * kp));
        }
      }
    }
  }
  // many days: keep at most 3000 oval samples (every k-th) so that the grid search stays quick
  if (ovalC.length > 3000) {
    const stride = Math.ceil(ovalC.length / 3000);
    const keep = (a: unknown[]) => a.filter((_, i) => i % stride === 0);
    for (const a of [ovalC, ovalW, ovalKp, ovalD2, ovalLow] as unknown[][]) {
      const k = keep(a);
      a.length = 0;
      a.push(...k);
    }
  }
  // 2. oval: centre, width and level fitted to the robust sigma of 10 s second differences in 5-deg bands of
  // 40-80 deg (grid search, log error; the low-latitude part is included in the model)
  if (ovalW.length >= 20) {
    const gS = secondDifferenceVariance((L) => smoothCorrelation(L, p.smoothCorrelationS), 10);
    const gR = secondDifferenceVariance((L) => arCorrelation(L, p.lowLatRoughCorrelationS), 10);
    const gRa = secondDifferenceVariance((L) => arCorrelation(L, p.auroralRoughCorrelationS), 10);
    // targets: robust sigma of the second differences per band, the metric of the realism table (the real oval is
    // intermittent: a few FAC sheets dominate an rms); the model's band sigma is the rms of its per-sample sigmas
    const bandsO: { lo: number; target: number; idx: number[] }[] = [];
    for (let lo = 40; lo < 80; lo += 5) {
      const idx: number[] = [];
      for (let i = 0; i < ovalC.length; i++) if (ovalC[i] >= lo && ovalC[i] < lo + 5) idx.push(i);
      if (idx.length >= 5) bandsO.push({ lo, target: robustSigma(idx.flatMap((i) => ovalD2[i])), idx });
    }
    const kpMean = ovalKp.reduce((x, y) => x + y, 0) / ovalKp.length;
    const amp2 = ovalKp.map((kp) => Math.pow(1 + kp, 2 * p.auroralSigmaKpExponent) * (gS + sq(p.auroralRoughFraction) * gRa));
    const rest = ovalLow.map((l) => sq(l) * (gR + sq(p.lowLatSmoothRatio) * gS) + white);
    let best = { err: Infinity, c: 0, w: 0, b: 0 };
    for (let c = 55; c <= 72.001; c += 0.5) {
      for (let w = 2; w <= 10.001; w += 0.5) {
        // band model variance = base^2 SA + SB (per band, averaged over its samples)
        const SA = bandsO.map((bnd) => bnd.idx.reduce((acc, i) => acc + amp2[i] * Math.exp(-2 * sq((ovalC[i] - c) / w)), 0) / bnd.idx.length);
        const SB = bandsO.map((bnd) => bnd.idx.reduce((acc, i) => acc + rest[i], 0) / bnd.idx.length);
        for (let lb = Math.log(2); lb <= Math.log(200); lb += 0.02) {
          const b2 = Math.exp(2 * lb);
          let err = 0;
          for (let j = 0; j < bandsO.length; j++) err += sq(Math.log(Math.sqrt(b2 * SA[j] + SB[j]) / bandsO[j].target));
          if (err < best.err) best = { err, c, w, b: Math.exp(lb) };
        }
      }
    }
    p.ovalPerKpDeg = round((p.ovalQuietLatDeg - best.c) / kpMean, 2);
    p.ovalWidthDeg = best.w;
    p.auroralSigmaBaseNt = round(best.b, 2);
    notes.push(`oval: second differences in ${bandsO.map((b) => `${b.lo}-${b.lo + 5}: ${b.target.toFixed(1)}`).join(', ')} nT -> centre ${best.c} deg at Kp ${kpMean.toFixed(1)} ` +
      `(${p.ovalPerKpDeg} deg per Kp from ${p.ovalQuietLatDeg} deg), width ${p.ovalWidthDeg} deg, level ${p.auroralSigmaBaseNt} nT x (1 + Kp)^${p.auroralSigmaKpExponent}`);
  }
  // 3. polar-cap field and noise level
  if (pcN >= 10 && pcDen > 0) {
    p.polarCapFieldNtPerKp = round(pcNum / pcDen, 2);
    notes.push(`polar cap: ${pcN} samples -> ${p.polarCapFieldNtPerKp} nT per Kp along the sunward horizontal`);
  }
  const gS10 = secondDifferenceVariance((L) => smoothCorrelation(L, p.smoothCorrelationS), 10);
  const gR10 = secondDifferenceVariance((L) => arCorrelation(L, p.lowLatRoughCorrelationS), 10);
  const gR40 = secondDifferenceVariance((L) => arCorrelation(L, p.lowLatRoughCorrelationS), 40);
  const gS40 = secondDifferenceVariance((L) => smoothCorrelation(L, p.smoothCorrelationS), 40);
  if (capD2.length >= 30) {
    const target = robustSigma(capD2);
    const aur = median(capAur), low = median(capLow);
    const rest = sq(low) * (gR10 + sq(p.lowLatSmoothRatio) * gS10) + white;
    p.polarCapFraction = round(Math.sqrt(Math.max(0, sq(target) - rest) / (sq(aur) * gS10)), 4);
    notes.push(`polar cap noise: second differences ${target.toFixed(2)} nT at 10 s -> ${p.polarCapFraction} of the oval level`);
  }
  // 4. low/mid latitudes: smooth/rough ratio from the 40 s / 10 s growth, then each node's rough sigma
  const usable = [...bandD2.entries()].filter(([, e]) => e.d10.filter(Number.isFinite).length >= 30);
  if (usable.length) {
    const est = usable.map(([b, e]) => ({ b, s10: robustSigma(e.d10.filter(Number.isFinite)), s40: robustSigma(e.d40.filter(Number.isFinite)), fac: median(e.fac) }));
    const below40 = est.filter((x) => p.lowLatNodesDeg[x.b] < 40 && Number.isFinite(x.s40));
    const fitSet = below40.length ? below40 : est.filter((x) => Number.isFinite(x.s40));
    let bestR = p.lowLatSmoothRatio, bestErr = Infinity;
    for (let ratio = 0; ratio <= 6.0001; ratio += 0.01) {
      let err = 0;
      for (const x of fitSet) {
        const sr2 = Math.max(0, sq(x.s10) - white) / (gR10 + ratio * ratio * gS10);
        const m40 = Math.sqrt(sr2 * (gR40 + ratio * ratio * gS40) + white);
        err += sq(Math.log(m40 / x.s40));
      }
      if (err < bestErr) {
        bestErr = err;
        bestR = ratio;
      }
    }
    p.lowLatSmoothRatio = round(bestR, 2);
    const sig = p.lowLatSigmaNt.slice();
    const fitted = new Set<number>();
    for (const x of est) {
      sig[x.b] = round(Math.sqrt(Math.max(0, sq(x.s10) - white) / (gR10 + sq(p.lowLatSmoothRatio) * gS10)) / x.fac, 3);
      fitted.add(x.b);
    }
    // nodes without data take the nearest fitted node's value
    for (let i = 0; i < sig.length; i++) {
      if (fitted.has(i)) continue;
      let best = -1;
      for (const b of fitted) if (best < 0 || Math.abs(b - i) < Math.abs(best - i)) best = b;
      if (best >= 0) sig[i] = sig[best];
    }
    p.lowLatSigmaNt = sig;
    notes.push(`low/mid latitudes: bands ${est.map((x) => `${bands[x.b][0]}-${bands[x.b][1]}: ${x.s10.toFixed(2)} nT at 10 s`).join(', ')}; ` +
      `smooth/rough ratio ${p.lowLatSmoothRatio} from the 40 s / 10 s growth; night Kp-0 sigmas ${sig.join(', ')} nT` +
      (fitted.size < sig.length ? ' (nodes without data copy the nearest fitted node)' : ''));
  }
  const out: Partial<MagneticBackgroundParams> = {};
  for (const k of ['stormExternalFactor', 'stormInductionQ', 'stormEastFactor', 'ovalPerKpDeg', 'ovalWidthDeg', 'auroralSigmaBaseNt', 'polarCapFieldNtPerKp', 'polarCapFraction', 'lowLatSmoothRatio', 'lowLatSigmaNt'] as const) {
    (out as Record<string, unknown>)[k] = p[k];
  }
  return { params: out, notes };
}

/** A real Swarm day (store layout) reduced to 10 s records with usable B (Flags_B 0), as the shipped sample. */
export function decimateDay(day: SwarmDay, stepS = 10): MagSeries {
  const idx: number[] = [];
  for (let k = 0; k < day.Timestamp.length; k++) {
    if (day.Timestamp[k] % (stepS * 1000) !== 0) continue;
    idx.push(k);
  }
  const pick = (x: ArrayLike<number>) => Float64Array.from(idx, (k) => x[k]);
  const ok = (k: number) => day.Flags_B[k] === 0 && Number.isFinite(day.B_N[k]);
  return {
    Timestamp: pick(day.Timestamp), Latitude: pick(day.Latitude), Longitude: pick(day.Longitude), Radius: pick(day.Radius),
    B_N: Float64Array.from(idx, (k) => (ok(k) ? day.B_N[k] : NaN)),
    B_E: Float64Array.from(idx, (k) => (ok(k) ? day.B_E[k] : NaN)),
    B_C: Float64Array.from(idx, (k) => (ok(k) ? day.B_C[k] : NaN)),
  };
}

/**
 * 0.1-0.5 Hz mean square (nT^2, N, E, C averaged) of a 1 Hz day's residual at low latitudes (|magnetic latitude|
 * below maxMagLat) on the night side (day weight below 0.25) in quiet conditions (Kp <= 2): B minus IGRF-13
 * evaluated every 10 s and interpolated (cubic) to 1 Hz, high-passed. NaN when no such sample.
 */
export function quietNightBandPower(model: MainFieldModel, day: SwarmDay, kp: SlottedSeries, maxMagLat = 40): { power: number; samples: number } {
  const dec = decimateDay(day, 10);
  const res = residualToMainField(model, dec);
  // main field at the 10 s points = B - residual; interpolate it to 1 Hz per component (cubic, 4 points)
  const n = day.Timestamp.length;
  const t10 = dec.Timestamp;
  const mf = [dec.B_N, dec.B_E, dec.B_C].map((b, c) => Float64Array.from(b, (x, i) => x - [res.dN, res.dE, res.dC][c][i]));
  // the 10 s main field is NaN where B was flagged: rebuild it from the model directly there
  const tr = trackFrom(dec);
  const ecef = mainFieldEcef(model, tr);
  const N = new Float64Array(t10.length), E = new Float64Array(t10.length), C = new Float64Array(t10.length);
  ecefToNec(tr, ecef, N, E, C);
  mf[0] = N; mf[1] = E; mf[2] = C;
  let sum = 0, cnt = 0;
  const hp = [day.B_N, day.B_E, day.B_C].map((b, c) => {
    const r = new Float64Array(n).fill(NaN);
    for (let k = 0; k < n; k++) {
      if (day.Flags_B[k] !== 0) continue;
      const u = (day.Timestamp[k] - t10[0]) / 10000;
      const j = Math.floor(u) - 1;
      if (j < 0 || j + 3 >= t10.length || t10[j + 3] - t10[j] !== 30000) continue;
      const f = u - (j + 1);
      const w0 = (-f * (f - 1) * (f - 2)) / 6, w1 = ((f + 1) * (f - 1) * (f - 2)) / 2, w2 = (-(f + 1) * f * (f - 2)) / 2, w3 = ((f + 1) * f * (f - 1)) / 6;
      const m = mf[c];
      r[k] = b[k] - (w0 * m[j] + w1 * m[j + 1] + w2 * m[j + 2] + w3 * m[j + 3]);
    }
    return highPass(r, 0.1);
  });
  const ml = magneticLatitudes(model, trackFrom(day));
  for (let k = 0; k < n; k++) {
    if (Math.abs(ml[k]) >= maxMagLat) continue;
    if (dayWeight(localSolarTime(day.Timestamp[k], day.Longitude[k])) >= 0.25) continue;
    let kpv: number;
    try {
      kpv = smoothIndexAt(kp, day.Timestamp[k]);
    } catch {
      continue;
    }
    if (kpv > 2) continue;
    for (const x of hp) if (Number.isFinite(x[k])) { sum += x[k] * x[k]; cnt++; }
  }
  return { power: cnt ? sum / cnt : NaN, samples: cnt };
}

/** Mean square in [f1, f2] Hz of a unit AR(1) with correlation time tau (s), continuous-time approximation. */
export function ar1BandFraction(tau: number, f1 = 0.1, f2 = 0.5): number {
  return (2 / Math.PI) * (Math.atan(2 * Math.PI * f2 * tau) - Math.atan(2 * Math.PI * f1 * tau));
}

export interface RefitResult {
  days: string[];
  /** The refitted parameters: complete groups orbit and magnetic (defaults where the data could not say). */
  params: SimulationParams;
  notes: string[];
}

/**
 * Refit the simulator from real days (store layout, 1 Hz): the orbit's phase corrections from each day's first
 * ascending crossing (extraNodes), the magnetic background from the days' residuals at 10 s (fitMagnetic), its
 * local-time and Kp dependence when the days span day and night and several Kp levels, and the instrument noise
 * from the quiet night-time 0.1-0.5 Hz band power at 1 Hz.
 */
export function refitFromDays(days: SwarmDay[], inputs: { model: MainFieldModel; kp: SlottedSeries; dst: SlottedSeries }, base: SimulationParams): RefitResult {
  if (days.length === 0) throw new Error('refit: no real days given');
  const notes: string[] = [];
  const p: SimulationParams = JSON.parse(JSON.stringify(base));
  // 1. orbit phase: each day's first ascending crossing
  const extra: { time: string; longitudeDeg: number }[] = [];
  const o0 = makeOrbit(base.orbit);
  const seps: number[] = [];
  for (const d of days) {
    const c = ascendingCrossings(trackFrom(d));
    if (!c.time.length) continue;
    extra.push({ time: new Date(Math.round(c.time[0])).toISOString(), longitudeDeg: Math.round(c.longitude[0] * 1e6) / 1e6 });
    const tr = positionsAt(o0, [d.Timestamp[0], d.Timestamp[Math.floor(d.Timestamp.length / 2)]]);
    seps.push(separationKm(d.Latitude[0], d.Longitude[0], d.Radius[0], tr.Latitude[0], tr.Longitude[0], tr.Radius[0]));
  }
  p.orbit.extraNodes = extra.filter((x) => Math.abs(Date.parse(x.time) - Date.parse(base.orbit.nodeTime)) > 3600e3);
  notes.push(`orbit: ${p.orbit.extraNodes.length} real crossings added as phase corrections; the defaults were ${seps.length ? `${median(seps).toFixed(1)} km (median) from the real positions at 00 UT of these days` : 'not compared'}`);
  // 2. local-time and Kp dependence of the low-latitude noise (only when the days can say)
  const ctxs = days.map((d) => fitContext(inputs.model, residualToMainField(inputs.model, decimateDay(d, 10)), inputs.kp, inputs.dst));
  const cells = new Map<string, { d2: number[]; w: number; kp: number; node: number; n: number }>();
  const m = p.magnetic;
  for (const c of ctxs) {
    const r = c.residual;
    const d10 = [r.dN, r.dE, r.dC].map((x) => secondDifferences(r.Timestamp, x, 1));
    for (let k = 0; k < r.Timestamp.length; k++) {
      const aml = Math.abs(r.magLat[k]);
      if (aml >= 50) continue;
      const node = m.lowLatNodesDeg.reduce((b, x, i) => (Math.abs(x - aml) < Math.abs(m.lowLatNodesDeg[b] - aml) ? i : b), 0);
      const w = dayWeight(r.localTime[k]);
      const kp = c.kp[k];
      const key = `${node}|${Math.min(2, Math.floor(w * 3))}|${Math.min(3, Math.floor(kp / 2))}`;
      if (!cells.has(key)) cells.set(key, { d2: [], w: 0, kp: 0, node, n: 0 });
      const e = cells.get(key)!;
      for (const x of d10) if (Number.isFinite(x[k])) e.d2.push(x[k]);
      e.w += w;
      e.kp += kp;
      e.n++;
    }
  }
  const usable = [...cells.values()].filter((e) => e.d2.length >= 60).map((e) => ({ ...e, w: e.w / e.n, kp: e.kp / e.n, s: robustSigma(e.d2) }));
  const wSpan = usable.length ? Math.max(...usable.map((e) => e.w)) - Math.min(...usable.map((e) => e.w)) : 0;
  const kSpan = usable.length ? Math.max(...usable.map((e) => e.kp)) - Math.min(...usable.map((e) => e.kp)) : 0;
  if (usable.length >= 4 && wSpan > 0.4 && kSpan > 2) {
    let best = { err: Infinity, g: m.lowLatDayGain, q: m.lowLatPerKp };
    for (let g = 0; g <= 3.0001; g += 0.05) {
      for (let q = 0; q <= 0.5001; q += 0.01) {
        const byNode = new Map<number, number[]>();
        for (const e of usable) {
          const v = Math.log(e.s / ((1 + g * e.w) * (1 + q * e.kp)));
          if (!byNode.has(e.node)) byNode.set(e.node, []);
          byNode.get(e.node)!.push(v);
        }
        let err = 0;
        for (const vs of byNode.values()) {
          const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
          for (const v of vs) err += (v - mean) ** 2;
        }
        if (err < best.err) best = { err, g, q };
      }
    }
    m.lowLatDayGain = Math.round(best.g * 100) / 100;
    m.lowLatPerKp = Math.round(best.q * 1000) / 1000;
    notes.push(`low-latitude noise: ${usable.length} cells (band x local time x Kp) -> day gain ${m.lowLatDayGain}, ${m.lowLatPerKp} per Kp`);
  } else {
    notes.push(`low-latitude noise: the days span day weight ${wSpan.toFixed(2)} and Kp ${kSpan.toFixed(1)}: too little to fit the local-time and Kp dependence, kept (${m.lowLatDayGain}, ${m.lowLatPerKp} per Kp)`);
  }
  // 3. the magnetic background at 10 s (fixed point: the fit depends mildly on its own outputs)
  for (let it = 0; it < 3; it++) {
    const f = fitMagnetic(ctxs, p.magnetic);
    Object.assign(p.magnetic, f.params);
    if (it === 2) notes.push(...f.notes);
  }
  // 4. instrument noise from the quiet night-time 0.1-0.5 Hz band power at 1 Hz
  let ps = 0, pn = 0;
  for (const d of days) {
    const b = quietNightBandPower(inputs.model, d, inputs.kp);
    if (b.samples > 0) {
      ps += b.power * b.samples;
      pn += b.samples;
    }
  }
  if (pn >= 3000) {
    const bp = ps / pn;
    const s0 = tableAt(m.lowLatNodesDeg, m.lowLatSigmaNt, 20);
    const rough = s0 * s0 * ar1BandFraction(m.lowLatRoughCorrelationS);
    const smooth = s0 * s0 * m.lowLatSmoothRatio * m.lowLatSmoothRatio * smoothBandFraction(m.smoothCorrelationS);
    const white = Math.max(0, bp - rough - smooth) / 0.8;
    m.instrumentNoiseNt = Math.round(Math.sqrt(white) * 1000) / 1000;
    notes.push(`0.1-0.5 Hz band power at quiet night-time low latitudes: ${bp.toFixed(4)} nT^2 over ${pn} values -> white noise ${m.instrumentNoiseNt} nT`);
  } else notes.push(`0.1-0.5 Hz band power: ${pn} quiet night-time low-latitude 1 Hz values (< 3000), instrument noise kept`);
  return { days: days.map((d) => d.day), params: p, notes };
}

/** Mean square in [f1, f2] Hz of the unit AR(1)-of-AR(1) (continuous approximation: spectrum of (1 + (2 pi f tau)^2)^-2). */
export function smoothBandFraction(tau: number, f1 = 0.1, f2 = 0.5): number {
  // one-sided spectrum S(f) = 8 tau / (1 + x^2)^2 with x = 2 pi f tau (unit variance); integral in closed form
  const F = (f: number) => {
    const x = 2 * Math.PI * f * tau;
    return (2 / Math.PI) * (Math.atan(x) + x / (1 + x * x));
  };
  return F(f2) - F(f1);
}

/** Read a refit file written by scripts/refit-simulator.ts: the parameters over the defaults (unknown names rejected). */
export function readRefitFile(file: string): SimulationParams {
  let j: { params?: unknown };
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable JSON file (${(e as Error).message})`);
  }
  if (!j || typeof j.params !== 'object' || j.params === null) throw new Error(`${file}: field 'params' (the refitted simulator parameters) is missing`);
  try {
    return withParams(j.params as DeepPartial<SimulationParams>);
  } catch (e) {
    throw new Error(`${file}: params: ${(e as Error).message}`);
  }
}
