// Small signal helpers for checking and showing the simulator's injected 0.1-0.5 Hz packets (paper section 2.2:
// the case studies' East-component signals): a zero-phase windowed-sinc high-pass at 1 Hz sampling, and windowed
// energy. Gaps (NaN) stay NaN in the output and are skipped in energies.

/** Windowed-sinc (Hamming) low-pass taps, cutoff in cycles per sample, odd length. */
export function lowPassTaps(cutoff: number, length = 61): Float64Array {
  if (length % 2 !== 1) throw new Error(`lowPassTaps: length must be odd, got ${length}`);
  const h = new Float64Array(length);
  const m = (length - 1) / 2;
  let s = 0;
  for (let i = 0; i < length; i++) {
    const x = i - m;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    h[i] = sinc * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (length - 1)));
    s += h[i];
  }
  for (let i = 0; i < length; i++) h[i] /= s;
  return h;
}

/**
 * High-pass (x minus its zero-phase low-pass) of a 1 Hz series: keeps ~0.1-0.5 Hz for cutoff 0.1.
 * NaN inputs count as 0 and give NaN outputs at their own positions.
 */
export function highPass(x: ArrayLike<number>, cutoffHz = 0.1, length = 61): Float64Array {
  const h = lowPassTaps(cutoffHz, length);
  const m = (length - 1) / 2;
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(x[k])) {
      out[k] = NaN;
      continue;
    }
    let s = 0;
    for (let j = 0; j < length; j++) {
      let i = k + j - m;
      if (i < 0) i = 0;
      if (i >= n) i = n - 1;
      const v = x[i];
      s += h[j] * (Number.isFinite(v) ? v : x[k]);
    }
    out[k] = x[k] - s;
  }
  return out;
}

/** Mean square of x[a..b] (inclusive), ignoring NaN; NaN when nothing is finite. */
export function meanSquare(x: ArrayLike<number>, a: number, b: number): number {
  let s = 0, c = 0;
  for (let k = Math.max(0, a); k <= Math.min(x.length - 1, b); k++) {
    const v = x[k];
    if (Number.isFinite(v)) {
      s += v * v;
      c++;
    }
  }
  return c ? s / c : NaN;
}
