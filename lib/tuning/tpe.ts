// Tree-structured Parzen estimator (TPE), faithful to hyperopt 0.2.7's tpe.suggest and its defaults
// (n_startup_jobs 20, n_EI_candidates 24, gamma 0.25, prior_weight 1.0, linear forgetting 25): the
// hyperparameter search of paper section 3.2 ("Bayesian optimisation, TPE, 100 evaluations"). Written from
// hyperopt's algorithm, not translated line by line; no part of the paper is assumed here.
//
// For each active hyperparameter independently: the trials so far are split by loss into the best
// n_below = min(ceil(gamma * sqrt(n)), 25) ("below", l(x)) and the rest ("above", g(x)); failed and running
// trials count with infinite loss. Each side becomes an adaptive Parzen estimator with the prior as one extra
// component (continuous: truncated Gaussian mixture, in log space for log-uniform; integers and choices:
// categorical pseudo-counts); n_EI_candidates draws from l are scored by log l(x) - log g(x) and the best is kept.
// A choice's chosen option is walked next (conditional spaces). Fewer than n_startup_jobs trials: random search.
import { Rng } from '../core/random';
import { Dist, quantize, Space, Vals, walkSpace } from './space';
import { suggestRandom } from './random';
import type { TpeOptions } from './trials';

export const TPE_DEFAULTS: TpeOptions = { nStartupJobs: 20, nEICandidates: 24, gamma: 0.25, priorWeight: 1.0, linearForgetting: 25 };

/** hyperopt caps the number of "below" trials at its default linear-forgetting constant (ap_split_trials' gamma_cap). */
export const GAMMA_CAP = 25;
const EPS = 1e-12;

/** A trial as TPE sees it: its values and its loss (Infinity for failed or still running). */
export interface Observation {
  tid: number;
  vals: Vals;
  loss: number;
}

// ---------- numerics ----------

/** The error function, to about 1e-14 (Taylor series below 3, Lentz continued fraction of erfc above). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const c = term / (2 * n + 1);
      sum += c;
      if (Math.abs(c) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  if (ax > 27) return x < 0 ? -1 : 1;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  let f = ax;
  let C = ax;
  let D = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    D = ax + a * D;
    D = D === 0 ? 1e-300 : D;
    C = ax + a / C;
    C = C === 0 ? 1e-300 : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

function normalCdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / Math.max(Math.SQRT2 * sigma, EPS);
  return 0.5 * (1 + erf(z));
}

function lognormalCdf(x: number, mu: number, sigma: number): number {
  if (x < 0) throw new Error(`lognormal cdf of a negative number ${x}`);
  const z = (Math.log(Math.max(x, EPS)) - mu) / Math.max(Math.SQRT2 * sigma, EPS);
  return 0.5 + 0.5 * erf(z);
}

function logSumExp(a: number[]): number {
  let m = -Infinity;
  for (const v of a) if (v > m) m = v;
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  let s = 0;
  for (const v of a) s += Math.exp(v - m);
  return Math.log(s) + m;
}

function categorical(p: ArrayLike<number>, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i];
  const u = rng.next() * total;
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    c += p[i];
    if (u < c) return i;
  }
  return p.length - 1;
}

/** hyperopt's linear_forgetting_weights: the LF newest observations weigh 1, older ones ramp from 1/N up to 1. */
export function linearForgettingWeights(N: number, LF: number): number[] {
  if (N === 0) return [];
  if (N < LF) return new Array(N).fill(1);
  const num = N - LF;
  const ramp: number[] = [];
  for (let i = 0; i < num; i++) ramp.push(num === 1 ? 1 / N : 1 / N + ((1 - 1 / N) * i) / (num - 1));
  return [...ramp, ...new Array(LF).fill(1)];
}

export interface Mixture {
  weights: number[];
  mus: number[];
  sigmas: number[];
}

/** hyperopt's adaptive_parzen_normal: the observations plus the prior as a Gaussian mixture. */
export function adaptiveParzenNormal(mus: number[], priorWeight: number, priorMu: number, priorSigma: number, LF: number): Mixture {
  let srtd: number[];
  let sigma: number[];
  let priorPos: number;
  let order: number[] = [];
  if (mus.length === 0) {
    srtd = [priorMu];
    sigma = [priorSigma];
    priorPos = 0;
  } else if (mus.length === 1) {
    if (priorMu < mus[0]) {
      priorPos = 0;
      srtd = [priorMu, mus[0]];
      sigma = [priorSigma, priorSigma * 0.5];
    } else {
      priorPos = 1;
      srtd = [mus[0], priorMu];
      sigma = [priorSigma * 0.5, priorSigma];
    }
  } else {
    order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
    const sorted = order.map((i) => mus[i]);
    priorPos = 0;
    while (priorPos < sorted.length && sorted[priorPos] < priorMu) priorPos++; // searchsorted, side left
    srtd = [...sorted.slice(0, priorPos), priorMu, ...sorted.slice(priorPos)];
    sigma = new Array(srtd.length).fill(0);
    for (let i = 1; i < srtd.length - 1; i++) sigma[i] = Math.max(srtd[i] - srtd[i - 1], srtd[i + 1] - srtd[i]);
    sigma[0] = srtd[1] - srtd[0];
    sigma[srtd.length - 1] = srtd[srtd.length - 1] - srtd[srtd.length - 2];
  }
  let weights: number[];
  if (LF && LF < mus.length) {
    const unsrtd = linearForgettingWeights(mus.length, LF);
    weights = [...order.slice(0, priorPos).map((i) => unsrtd[i]), priorWeight, ...order.slice(priorPos).map((i) => unsrtd[i])];
  } else {
    weights = new Array(srtd.length).fill(1);
    weights[priorPos] = priorWeight;
  }
  const maxSigma = priorSigma;
  const minSigma = priorSigma / Math.min(100, 1 + srtd.length);
  sigma = sigma.map((s) => Math.min(Math.max(s, minSigma), maxSigma));
  sigma[priorPos] = priorSigma;
  const wsum = weights.reduce((a, b) => a + b, 0);
  return { weights: weights.map((w) => w / wsum), mus: srtd, sigmas: sigma };
}

/** Draws from a Gaussian mixture truncated to [low, high) (hyperopt's GMM1; LGMM1 when log: exp of the draw). */
function sampleMixture(m: Mixture, low: number, high: number, q: number | null, log: boolean, n: number, rng: Rng): number[] {
  const out: number[] = [];
  let guard = 0;
  while (out.length < n) {
    const k = categorical(m.weights, rng);
    const draw = rng.normal(m.mus[k], m.sigmas[k]);
    if (low <= draw && draw < high) out.push(log ? Math.exp(draw) : draw);
    if (++guard > 1e6) throw new Error(`TPE: cannot draw inside [${low}, ${high}) from the mixture`);
  }
  return q === null ? out : out.map((x) => quantize(x, q));
}

/** hyperopt's GMM1_lpdf (log = false) and LGMM1_lpdf (log = true; low/high are log bounds). */
export function mixtureLpdf(samples: number[], m: Mixture, low: number, high: number, q: number | null, log: boolean): number[] {
  let pAccept = 0;
  for (let k = 0; k < m.weights.length; k++) pAccept += m.weights[k] * (normalCdf(high, m.mus[k], m.sigmas[k]) - normalCdf(low, m.mus[k], m.sigmas[k]));
  if (q === null) {
    return samples.map((x) => {
      const terms: number[] = [];
      for (let k = 0; k < m.weights.length; k++) {
        const s = m.sigmas[k];
        if (!log) {
          const mahal = ((x - m.mus[k]) / Math.max(s, EPS)) ** 2;
          const coef = m.weights[k] / Math.sqrt(2 * Math.PI * s * s) / pAccept;
          terms.push(-0.5 * mahal + Math.log(coef));
        } else {
          // hyperopt's LGMM1_lpdf does not renormalise by the truncation here (only in its quantised branch)
          const se = Math.max(s, EPS);
          const lp = -0.5 * ((Math.log(x) - m.mus[k]) / se) ** 2 - Math.log(se * x * Math.sqrt(2 * Math.PI));
          terms.push(lp + Math.log(m.weights[k]));
        }
      }
      return logSumExp(terms);
    });
  }
  return samples.map((x) => {
    let prob = 0;
    for (let k = 0; k < m.weights.length; k++) {
      const w = m.weights[k];
      if (!log) {
        const ub = Math.min(x + q / 2, high);
        const lb = Math.max(x - q / 2, low);
        prob += w * normalCdf(ub, m.mus[k], m.sigmas[k]) - w * normalCdf(lb, m.mus[k], m.sigmas[k]);
      } else {
        const ub = Math.min(x + q / 2, Math.exp(high));
        const lb = Math.max(0, Math.max(x - q / 2, Math.exp(low)));
        prob += w * lognormalCdf(ub, m.mus[k], m.sigmas[k]) - w * lognormalCdf(lb, m.mus[k], m.sigmas[k]);
      }
    }
    return Math.log(prob) - Math.log(pAccept);
  });
}

/** numpy's argmax: the first maximum, NaN counting as the maximum. */
function argmax(a: number[]): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i])) return i;
    if (a[i] > a[best]) best = i;
  }
  return best;
}

/** Categorical posterior of an integer (randint, choice): linear-forgetting-weighted counts plus prior_weight each. */
function categoricalPosterior(obs: number[], offset: number, size: number, priorWeight: number, LF: number): number[] {
  const w = linearForgettingWeights(obs.length, LF);
  const counts = new Array(size).fill(0);
  obs.forEach((v, i) => {
    const k = v - offset;
    if (k >= 0 && k < size) counts[k] += w[i];
  });
  const pseudo = counts.map((c) => c + priorWeight);
  const s = pseudo.reduce((a, b) => a + b, 0);
  return pseudo.map((c) => c / s);
}

/** TPE's draw for one hyperparameter given its below and above observations. */
export function suggestOne(dist: Dist, below: number[], above: number[], rng: Rng, o: TpeOptions): number {
  const n = o.nEICandidates;
  const LF = o.linearForgetting;
  if (dist.$hp === 'choice' || dist.$hp === 'randint') {
    const offset = dist.$hp === 'choice' ? 0 : dist.low;
    const size = dist.$hp === 'choice' ? dist.options.length : dist.high - dist.low;
    const pb = categoricalPosterior(below, offset, size, o.priorWeight, LF);
    const pa = categoricalPosterior(above, offset, size, o.priorWeight, LF);
    const samples: number[] = [];
    for (let i = 0; i < n; i++) samples.push(categorical(pb, rng));
    const score = samples.map((s) => Math.log(pb[s]) - Math.log(pa[s]));
    return samples[argmax(score)] + offset;
  }
  const log = dist.$hp === 'loguniform' || dist.$hp === 'qloguniform';
  const q = dist.$hp === 'quniform' || dist.$hp === 'qloguniform' ? dist.q : null;
  const priorMu = 0.5 * (dist.high + dist.low);
  const priorSigma = dist.high - dist.low;
  const toModel = (v: number[]) => (!log ? v : q === null ? v.map(Math.log) : v.map((x) => Math.log(Math.max(x, Math.max(EPS, Math.exp(dist.low))))));
  const mb = adaptiveParzenNormal(toModel(below), o.priorWeight, priorMu, priorSigma, LF);
  const ma = adaptiveParzenNormal(toModel(above), o.priorWeight, priorMu, priorSigma, LF);
  const samples = sampleMixture(mb, dist.low, dist.high, q, log, n, rng);
  const lb = mixtureLpdf(samples, mb, dist.low, dist.high, q, log);
  const la = mixtureLpdf(samples, ma, dist.low, dist.high, q, log);
  return samples[argmax(lb.map((v, i) => v - la[i]))];
}

/** hyperopt's ap_split_trials: the n_below best trials (stable order for equal losses) and the rest. */
export function splitTrials(obs: Observation[], gamma: number): { below: Set<number>; above: Set<number> } {
  const sorted = [...obs].sort((a, b) => a.tid - b.tid);
  const nBelow = Math.min(Math.ceil(gamma * Math.sqrt(sorted.length)), GAMMA_CAP);
  const order = sorted.map((_, i) => i).sort((a, b) => (sorted[a].loss === sorted[b].loss ? a - b : sorted[a].loss < sorted[b].loss ? -1 : 1));
  return {
    below: new Set(order.slice(0, nBelow).map((i) => sorted[i].tid)),
    above: new Set(order.slice(nBelow).map((i) => sorted[i].tid)),
  };
}

/** Suggest the next point: random during start-up, then TPE. `history` holds every earlier trial (running ones with loss Infinity). */
export function suggestTpe(space: Space, history: Observation[], rng: Rng, options: Partial<TpeOptions> = {}): { vals: Vals; params: unknown } {
  const o: TpeOptions = { ...TPE_DEFAULTS, ...options };
  if (history.length < o.nStartupJobs) return suggestRandom(space, rng);
  const { below, above } = splitTrials(history, o.gamma);
  const sorted = [...history].sort((a, b) => a.tid - b.tid);
  return walkSpace(space, (label, dist) => {
    const b: number[] = [];
    const a: number[] = [];
    for (const t of sorted) {
      if (!(label in t.vals)) continue;
      if (below.has(t.tid)) b.push(t.vals[label]);
      else if (above.has(t.tid)) a.push(t.vals[label]);
    }
    return suggestOne(dist, b, a, rng, o);
  });
}
