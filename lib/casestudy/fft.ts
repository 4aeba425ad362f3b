// Discrete Fourier transform for any length (radix-2 Cooley-Tukey, Bluestein's chirp-z for other lengths) and
// the one-sided amplitude spectrum that MASS plots (paper section 2.2, Figures 1-2 panels A-C: FFT of the
// X, Y, Z residuals, signatures near 0.2-0.4 Hz).

/** In-place iterative radix-2 FFT; n must be a power of two. sign -1: forward (numpy.fft.fft convention). */
function fftRadix2(re: Float64Array, im: Float64Array, sign: 1 | -1): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const ang = (sign * 2 * Math.PI) / len;
    // twiddles computed directly (not by recurrence) to keep rounding error at O(eps log n)
    const wr = new Float64Array(half), wi = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      wr[k] = Math.cos(ang * k);
      wi[k] = Math.sin(ang * k);
    }
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const a = i + k, b = a + half;
        const tr = re[b] * wr[k] - im[b] * wi[k];
        const ti = re[b] * wi[k] + im[b] * wr[k];
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
    }
  }
}

const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** Complex DFT X_k = sum_j x_j exp(-2 pi i j k / n) for any n >= 1 (numpy.fft.fft). Returns new arrays. */
export function fft(reIn: ArrayLike<number>, imIn?: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = reIn.length;
  if (n === 0) throw new Error('fft: empty input');
  if (imIn && imIn.length !== n) throw new Error(`fft: re has ${n} values, im has ${imIn.length}`);
  const re = Float64Array.from(reIn);
  const im = imIn ? Float64Array.from(imIn) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(re[i]) || !Number.isFinite(im[i])) throw new Error(`fft: non-finite input at index ${i}`);
  }
  if (isPow2(n)) {
    fftRadix2(re, im, -1);
    return { re, im };
  }
  // Bluestein: X_k = conj(w_k) * sum_j (x_j conj(w_j)) w_{k-j}, w_m = exp(i pi m^2 / n)
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const cr = new Float64Array(n), ci = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const q = (j * j) % (2 * n); // exact for n < ~9e7
    const a = (Math.PI * q) / n;
    cr[j] = Math.cos(a);
    ci[j] = Math.sin(a);
  }
  const ar = new Float64Array(m), ai = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    ar[j] = re[j] * cr[j] + im[j] * ci[j];
    ai[j] = im[j] * cr[j] - re[j] * ci[j];
  }
  const br = new Float64Array(m), bi = new Float64Array(m);
  br[0] = cr[0]; bi[0] = ci[0];
  for (let j = 1; j < n; j++) {
    br[j] = br[m - j] = cr[j];
    bi[j] = bi[m - j] = ci[j];
  }
  fftRadix2(ar, ai, -1);
  fftRadix2(br, bi, -1);
  for (let i = 0; i < m; i++) {
    const r = ar[i] * br[i] - ai[i] * bi[i];
    ai[i] = ar[i] * bi[i] + ai[i] * br[i];
    ar[i] = r;
  }
  fftRadix2(ar, ai, 1);
  for (let k = 0; k < n; k++) {
    const r = ar[k] / m, i2 = ai[k] / m;
    re[k] = r * cr[k] + i2 * ci[k];
    im[k] = i2 * cr[k] - r * ci[k];
  }
  return { re, im };
}

export interface AmplitudeSpectrum {
  /** Frequencies (Hz), k / (n dt) for k = 0..floor(n/2) (numpy.fft.rfftfreq). */
  freq: Float64Array;
  /** One-sided amplitude: |X_k| * 2 / n (|X_0| / n and, for even n, |X_{n/2}| / n), so a sine of amplitude A reads A. */
  amplitude: Float64Array;
}

/** One-sided amplitude spectrum of a real series sampled every dt seconds. */
export function amplitudeSpectrum(x: ArrayLike<number>, dt: number): AmplitudeSpectrum {
  if (!(dt > 0)) throw new Error(`amplitudeSpectrum: sampling interval must be > 0, got ${dt}`);
  const n = x.length;
  const { re, im } = fft(x);
  const nf = Math.floor(n / 2) + 1;
  const freq = new Float64Array(nf), amplitude = new Float64Array(nf);
  for (let k = 0; k < nf; k++) {
    freq[k] = k / (n * dt);
    const mag = Math.hypot(re[k], im[k]);
    const edge = k === 0 || (n % 2 === 0 && k === n / 2);
    amplitude[k] = edge ? mag / n : (2 * mag) / n;
  }
  return { freq, amplitude };
}
