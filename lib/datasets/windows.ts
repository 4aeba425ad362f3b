// Windows of T consecutive 1 Hz samples, non-overlapping, tiled over each run of samples that share an event and
// a class (paper section 3.1, Figure 3); a window with a time gap is dropped, flagged or missing samples are
// excluded, and every drop is counted by reason. Bulk values go to Float32 (windows x T x features).
// Input channels (shortcut control, issue 10): raw, B minus IGRF-13 along the track, or that residual detrended
// per window by a least-squares quadratic; Ne linear or log10.
import * as fs from 'fs';
import { SwarmColumns } from '../swarm/types';
import { coefficientsAt, Coefficients, decimalYear, igrf13, Synth } from '../simulation/mainfield';
import { DatasetParams, InputChannels, NeScale } from './params';

export interface DropCounts {
  /** Tiled windows dropped because a step was not 1 s (time gap). */
  gapWindows: number;
  /** Tiled windows dropped because a sample had Flags_B or Flags_Ne != 0 (invalidSamples 'dropWindow'). */
  flaggedWindows: number;
  /** Tiled windows dropped because a feature was NaN (invalidSamples 'dropWindow'). */
  missingWindows: number;
  /** Samples removed before tiling (invalidSamples 'restartAfter'). */
  flaggedSamples: number;
  missingSamples: number;
  /** Selected samples left at the end of a run, fewer than T (run ends: event, class, day or gap boundary). */
  remainderSamples: number;
  /** Selected samples (before any drop). */
  selectedSamples: number;
  /** Runs (maximal sample sequences of one event and class). */
  runs: number;
  /** membership 'centre': windows lost because the previous run's window ends inside this run (no overlap
   * allowed), and windows that would reach past the day's samples. */
  overlapWindows: number;
  edgeWindows: number;
}

export function emptyDrops(): DropCounts {
  return { gapWindows: 0, flaggedWindows: 0, missingWindows: 0, flaggedSamples: 0, missingSamples: 0, remainderSamples: 0, selectedSamples: 0, runs: 0, overlapWindows: 0, edgeWindows: 0 };
}

/** Growable typed-array column. */
class Col<T extends Float64Array | Float32Array | Int32Array | Uint8Array> {
  private buf: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.buf = make(1024);
  }
  push(v: number) {
    if (this.length === this.buf.length) {
      const nb = this.make(this.buf.length * 2);
      nb.set(this.buf as any);
      this.buf = nb;
    }
    this.buf[this.length++] = v;
  }
  values(): T {
    return this.buf.slice(0, this.length) as T;
  }
}

export interface WindowMeta {
  eventIndex: Int32Array;
  label: Uint8Array;
  startTime: Float64Array;
  latitude: Float32Array;
  longitude: Float32Array;
  localTime: Float32Array;
  kp: Float32Array;
}

/**
 * Collects the windows of one dataset: metadata in memory (small), values either in memory or streamed to a
 * Float32 file in large buffered writes (so 17 datasets over years of 1 Hz data stay within memory).
 */
export class WindowSink {
  readonly F: number;
  count = 0;
  readonly drops = emptyDrops();
  private meta = {
    eventIndex: new Col((n) => new Int32Array(n)),
    label: new Col((n) => new Uint8Array(n)),
    startTime: new Col((n) => new Float64Array(n)),
    latitude: new Col((n) => new Float32Array(n)),
    longitude: new Col((n) => new Float32Array(n)),
    localTime: new Col((n) => new Float32Array(n)),
    kp: new Col((n) => new Float32Array(n)),
  };
  private buf: Float32Array;
  private bufUsed = 0;
  private chunks: Float32Array[] = [];
  private fd: number | null = null;

  constructor(readonly T: number, readonly features: string[], readonly file: string | null = null, bufferFloats = 1 << 20) {
    this.F = features.length;
    this.buf = new Float32Array(Math.max(bufferFloats, T * this.F));
    if (file) this.fd = fs.openSync(file, 'w');
  }

  private transform: ChannelTransform | null = null;
  /** The channel transform of this sink (made once). */
  transformFor(features: FeatureName[], channels: InputChannels, neScale: NeScale): ChannelTransform {
    const t = this.transform;
    if (t && t.channels === channels && t.neScale === neScale && t.features.join() === features.join()) return t;
    return (this.transform = new ChannelTransform(features, channels, neScale));
  }

  /** Give back the room of the last reserve() (a window dropped after its values were written). */
  unreserve(): void {
    this.bufUsed -= this.T * this.F;
  }

  /** Room for one window; returns the offset into `buffer` to write T x F values into. */
  reserve(): { buffer: Float32Array; offset: number } {
    const need = this.T * this.F;
    if (this.bufUsed + need > this.buf.length) this.flush();
    const offset = this.bufUsed;
    this.bufUsed += need;
    return { buffer: this.buf, offset };
  }

  pushMeta(eventIndex: number, label: number, startTime: number, lat: number, lon: number, lt: number, kp: number) {
    const m = this.meta;
    m.eventIndex.push(eventIndex);
    m.label.push(label);
    m.startTime.push(startTime);
    m.latitude.push(lat);
    m.longitude.push(lon);
    m.localTime.push(lt);
    m.kp.push(kp);
    this.count++;
  }

  private flush() {
    if (this.bufUsed === 0) return;
    const part = this.buf.subarray(0, this.bufUsed);
    if (this.fd !== null) fs.writeSync(this.fd, part);
    else this.chunks.push(part.slice());
    this.bufUsed = 0;
  }

  /** Finish: close the file (values on disk) or return the values (in memory). */
  close(): { meta: WindowMeta; X: Float32Array | null } {
    this.flush();
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
    const m = this.meta;
    const meta: WindowMeta = {
      eventIndex: m.eventIndex.values(), label: m.label.values(), startTime: m.startTime.values(),
      latitude: m.latitude.values(), longitude: m.longitude.values(), localTime: m.localTime.values(), kp: m.kp.values(),
    };
    if (this.file) return { meta, X: null };
    const X = new Float32Array(this.count * this.T * this.F);
    let o = 0;
    for (const c of this.chunks) {
      X.set(c, o);
      o += c.length;
    }
    this.chunks = [];
    return { meta, X };
  }
}

type FeatureName = DatasetParams['windows']['features'][number];

/** Subtract from v (length T, stride 1) its least-squares quadratic in the sample index. */
export function detrendQuadratic(v: Float64Array | Float32Array, T: number, offset = 0, stride = 1): void {
  // orthogonal polynomials on x = j - (T-1)/2: p0 = 1, p1 = x, p2 = x^2 - c
  const h = (T - 1) / 2;
  let s2 = 0, s4 = 0;
  for (let j = 0; j < T; j++) {
    const x = j - h;
    s2 += x * x;
    s4 += x * x * x * x;
  }
  const c = s2 / T;
  let n2 = 0;
  for (let j = 0; j < T; j++) {
    const x = j - h;
    n2 += (x * x - c) * (x * x - c);
  }
  let a0 = 0, a1 = 0, a2 = 0;
  for (let j = 0; j < T; j++) {
    const x = j - h, y = v[offset + j * stride];
    a0 += y;
    a1 += x * y;
    a2 += (x * x - c) * y;
  }
  a0 /= T;
  a1 = s2 > 0 ? a1 / s2 : 0;
  a2 = n2 > 0 ? a2 / n2 : 0;
  for (let j = 0; j < T; j++) {
    const x = j - h;
    v[offset + j * stride] -= a0 + a1 * x + a2 * (x * x - c);
  }
}

/**
 * Turns the raw samples of one window into the model's input channels (params windows.channels, windows.neScale).
 * Keeps the IGRF-13 model and scratch arrays; one per dataset sink.
 */
export class ChannelTransform {
  private synth: Synth | null = null;
  private coef: Coefficients | null = null;
  private coefYear = NaN;
  private out = [0, 0, 0];
  constructor(readonly features: FeatureName[], readonly channels: InputChannels, readonly neScale: NeScale) {
    if (channels !== 'raw') this.synth = new Synth(igrf13().nmax);
  }
  get identity(): boolean {
    return this.channels === 'raw' && this.neScale === 'linear';
  }
  /**
   * Transform window values in place: buf[offset + j * F + f] for j < T; samples s..s+T-1 of `day`.
   * Returns false when a value is not finite afterwards (e.g. log10 of Ne <= 0).
   */
  apply(day: SwarmColumns, s: number, T: number, buf: Float32Array, offset: number): boolean {
    const F = this.features.length;
    if (this.synth) {
      const year = decimalYear(day.Timestamp[s]);
      // coefficients change by < 0.01 nT a day: refresh once per day of data
      if (!(Math.abs(year - this.coefYear) < 1 / 365.25)) {
        this.coef = coefficientsAt(igrf13(), year, this.coef ?? undefined);
        this.coefYear = year;
      }
      const o = this.out;
      const iN = this.features.indexOf('B_N'), iE = this.features.indexOf('B_E'), iC = this.features.indexOf('B_C');
      for (let j = 0; j < T; j++) {
        const k = s + j;
        this.synth.nec(this.coef!, day.Radius[k] / 1000, day.Latitude[k], day.Longitude[k], o);
        const b = offset + j * F;
        if (iN >= 0) buf[b + iN] -= o[0];
        if (iE >= 0) buf[b + iE] -= o[1];
        if (iC >= 0) buf[b + iC] -= o[2];
      }
    }
    const iNe = this.features.indexOf('Ne');
    if (this.neScale === 'log10' && iNe >= 0) {
      for (let j = 0; j < T; j++) buf[offset + j * F + iNe] = Math.log10(buf[offset + j * F + iNe]);
    }
    if (this.channels === 'detrended') {
      for (let f = 0; f < F; f++) detrendQuadratic(buf, T, offset + f, F);
    }
    for (let j = 0; j < T * F; j++) if (!Number.isFinite(buf[offset + j])) return false;
    return true;
  }
}

function sampleInvalid(day: SwarmColumns, i: number, features: FeatureName[]): 'flagged' | 'missing' | null {
  let usesB = false, usesNe = false;
  for (const f of features) {
    if (f === 'Ne') usesNe = true;
    else usesB = true;
  }
  if ((usesB && day.Flags_B[i] !== 0) || (usesNe && day.Flags_Ne[i] !== 0)) return 'flagged';
  for (const f of features) if (!Number.isFinite(day[f][i])) return 'missing';
  return null;
}

/**
 * Tile the windows of one day for one dataset. Runs are maximal index sequences with the same event and class.
 * membership 'inside': windows of T samples are laid from each run's start, every sample inside the run.
 * membership 'centre': ceil(len / T) windows are laid centred on the run, so each window's middle sample is in
 * the run (a pass shorter than T still gives one window, whose ends may lie outside the spatial window); after an
 * adjacent run's window they start where that one ends, so windows never overlap.
 * Each window is checked (time steps, flags, NaN) and kept or counted as dropped. With invalidSamples
 * 'restartAfter' (membership 'inside' only), flagged/missing samples and time gaps end a run instead.
 * Metadata: start time of the first sample; position, local time and Kp of the middle sample (inside the run).
 */
export function tileDay(
  day: SwarmColumns, assign: Int32Array, label: Uint8Array, kp: Float64Array, localTime: Float64Array,
  sink: WindowSink, p: DatasetParams['windows'],
): void {
  const n = assign.length;
  const T = sink.T;
  const F = sink.F;
  const feats = p.features;
  const step = p.samplingMs, tol = p.gapToleranceMs;
  const restart = p.invalidSamples === 'restartAfter';
  const centre = p.membership === 'centre';
  if (restart && centre) throw new Error("windows: invalidSamples 'restartAfter' needs membership 'inside'");
  let lastEnd = -Infinity;
  const drops = sink.drops;
  const cols = feats.map((f) => day[f]);
  const tf = sink.transformFor(feats, p.channels, p.neScale);
  const emit = (s: number, a: number, b: number) => {
    // check the tiled window [s, s + T)
    let gap = false, flagged = false, missing = false;
    for (let j = 1; j < T; j++) {
      const dt = day.Timestamp[s + j] - day.Timestamp[s + j - 1];
      if (Math.abs(dt - step) > tol) { gap = true; break; }
    }
    if (gap) { drops.gapWindows++; return; }
    for (let j = 0; j < T && !flagged && !missing; j++) {
      const why = sampleInvalid(day, s + j, feats);
      if (why === 'flagged') flagged = true;
      else if (why === 'missing') missing = true;
    }
    if (flagged) { drops.flaggedWindows++; return; }
    if (missing) { drops.missingWindows++; return; }
    const { buffer, offset } = sink.reserve();
    for (let j = 0; j < T; j++) {
      const base = offset + j * F;
      for (let f = 0; f < F; f++) buffer[base + f] = cols[f][s + j];
    }
    if (!tf.identity && !tf.apply(day, s, T, buffer, offset)) {
      sink.unreserve();
      drops.missingWindows++;
      return;
    }
    if (p.preprocessing === 'demean') {
      for (let f = 0; f < F; f++) {
        let sum = 0;
        for (let j = 0; j < T; j++) sum += buffer[offset + j * F + f];
        const mean = sum / T;
        for (let j = 0; j < T; j++) buffer[offset + j * F + f] -= mean;
      }
    }
    const m = Math.min(b - 1, Math.max(a, s + (T >> 1)));
    sink.pushMeta(assign[a], label[a], day.Timestamp[s], day.Latitude[m], day.Longitude[m], localTime[m], kp[m]);
  };
  let i = 0;
  while (i < n) {
    if (assign[i] < 0) { i++; continue; }
    // a run: same event and class; under 'restartAfter' also valid samples only, 1 s steps
    const e = assign[i], c = label[i];
    let runStart = i;
    let j = i;
    drops.runs++;
    while (j < n && assign[j] === e && label[j] === c) {
      drops.selectedSamples++;
      if (restart) {
        const why = sampleInvalid(day, j, feats);
        const gapBefore = j > runStart && Math.abs(day.Timestamp[j] - day.Timestamp[j - 1] - step) > tol;
        if (why || gapBefore) {
          tileRun(runStart, j);
          if (why === 'flagged') drops.flaggedSamples++;
          if (why === 'missing') drops.missingSamples++;
          runStart = why ? j + 1 : j;
        }
      }
      j++;
    }
    tileRun(runStart, j);
    i = j;
  }
  function tileRun(a: number, b: number) {
    if (centre) {
      if (b <= a) return;
      const len = b - a;
      const half = T >> 1;
      const k = Math.ceil(len / T);
      // centred on the run; after a neighbouring run's window, shifted to start where that one ends,
      // keeping only windows whose middle sample is still inside this run
      let s0 = a + Math.floor((len - k * T) / 2);
      if (s0 < lastEnd) s0 = lastEnd;
      if (s0 + half < a) s0 += Math.ceil((a - half - s0) / T) * T;
      let made = 0;
      for (let s = s0; s + half < b && made < k; s += T) {
        made++;
        if (s < 0 || s + T > n) { drops.edgeWindows++; continue; }
        emit(s, a, b);
        lastEnd = s + T;
      }
      drops.overlapWindows += k - made;
      return;
    }
    let s = a;
    for (; s + T <= b; s += T) emit(s, a, b);
    drops.remainderSamples += Math.max(0, b - s);
  }
}
