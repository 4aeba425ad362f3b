// The one seeded random module (determinism standard): every random draw in the package comes from an Rng
// built from a named seed in lib/core/config.ts plus a stream label, so the same seed gives the same numbers
// and independent streams (one per simulated day, say) do not depend on the order they are drawn in.
// Generator: sfc32 (Small Fast Counting, 128-bit state) seeded through a 32-bit hash of seed and labels.
import { SEEDS, SeedName } from './config';

function hashLabels(parts: (string | number)[]): [number, number, number, number] {
  // cyrb128 over the joined labels: four well-mixed 32-bit words
  const str = parts.map(String).join('\u0001');
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

type Shufflable = { length: number; [i: number]: any };

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;
  readonly labels: (string | number)[];

  constructor(seed: number | string, ...stream: (string | number)[]) {
    this.labels = [seed, ...stream];
    [this.a, this.b, this.c, this.d] = hashLabels(this.labels);
    for (let i = 0; i < 15; i++) this.uint32(); // warm up
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`Rng.int: n must be a positive finite number, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Marsaglia polar method), scaled. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return mean + sd * u * m;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Poisson-distributed count (Knuth for small means, normal approximation above 50). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const L = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > L);
    return k - 1;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends Shufflable>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** An independent child stream, named by labels (the parent is not advanced). */
  fork(...labels: (string | number)[]): Rng {
    return new Rng(this.labels[0], ...this.labels.slice(1), ...labels);
  }
}

/** An Rng for a named seed and an optional stream label (e.g. rngFor('simulator', '2016-02-15')). */
export function rngFor(name: SeedName, ...stream: (string | number)[]): Rng {
  if (!(name in SEEDS)) throw new Error(`unknown seed name '${String(name)}'; known: ${Object.keys(SEEDS).join(', ')}`);
  return new Rng(SEEDS[name], ...stream);
}
