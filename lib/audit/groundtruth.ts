// Which windows hold an injected precursor packet, from the simulator's ground-truth table (lib/simulation writes
// <store>/ground-truth.json; only its tStartMs/tEndMs columns are read), and the precursor ceiling of issue 10: the
// share of class-1 (and class-2) windows holding a packet and the MCC and accuracy of a perfect packet detector on
// class 0 vs 1 (paper section 4's metrics; the most any classifier can reach from the precursor alone).
import * as fs from 'fs';
import { matthewsCorrcoef } from '../evaluation/metrics';
import { TEST } from '../datasets/splits';
import { WindowMeta } from '../datasets/windows';

/** Injected spans [start, end] (Unix ms, inclusive sample times), sorted by start. */
export interface Spans {
  start: Float64Array;
  end: Float64Array;
}

export function readGroundTruthSpans(file: string): Spans {
  if (!fs.existsSync(file)) throw new Error(`${file}: no ground truth (simulate the signal run first)`);
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { truth?: { tStartMs: number; tEndMs: number }[] };
  if (!Array.isArray(j.truth)) throw new Error(`${file}: field 'truth' is not an array`);
  const rows = j.truth.map((r, k) => {
    if (!Number.isFinite(r.tStartMs) || !Number.isFinite(r.tEndMs) || r.tEndMs < r.tStartMs) {
      throw new Error(`${file}: truth[${k}] has no valid tStartMs/tEndMs`);
    }
    return [r.tStartMs, r.tEndMs];
  }).sort((a, b) => a[0] - b[0]);
  return { start: Float64Array.from(rows, (r) => r[0]), end: Float64Array.from(rows, (r) => r[1]) };
}

/**
 * 1 where the window [start, start + T s) shares at least minOverlapS seconds (samples) with an injected span.
 * Spans may overlap one another; the longest single overlap counts.
 */
export function packetFlags(startTime: Float64Array, T: number, spans: Spans, minOverlapS: number, samplingMs = 1000): Uint8Array {
  const out = new Uint8Array(startTime.length);
  const n = spans.start.length;
  // spans sorted by start; the longest span bounds how far back a span can start and still reach the window
  let maxLen = 0;
  for (let k = 0; k < n; k++) maxLen = Math.max(maxLen, spans.end[k] - spans.start[k]);
  for (let w = 0; w < startTime.length; w++) {
    const a = startTime[w], b = a + (T - 1) * samplingMs;
    let lo = 0, hi = n;
    const from = a - maxLen;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (spans.start[m] < from) lo = m + 1;
      else hi = m;
    }
    for (let k = lo; k < n && spans.start[k] <= b; k++) {
      const s = Math.max(a, spans.start[k]), e = Math.min(b, spans.end[k]);
      if (e >= s && Math.round((e - s) / samplingMs) + 1 >= minOverlapS) {
        out[w] = 1;
        break;
      }
    }
  }
  return out;
}

export interface Ceiling {
  /** Share of windows holding a packet, per class (all splits), and their counts. */
  packetShare: [number | null, number | null, number | null];
  packetWindows: [number, number, number];
  windows: [number, number, number];
  /** A perfect packet detector (predict 1 iff the window holds a packet) on the test split, class 0 vs 1. */
  testMcc: number | null;
  testAccuracy: number | null;
  testWindows: number;
}

export function precursorCeiling(meta: WindowMeta, split: Uint8Array, packet: Uint8Array): Ceiling {
  const pw: [number, number, number] = [0, 0, 0], nw: [number, number, number] = [0, 0, 0];
  const y: number[] = [], p: number[] = [];
  for (let w = 0; w < meta.label.length; w++) {
    const c = meta.label[w];
    nw[c]++;
    pw[c] += packet[w];
    if (split[w] === TEST && c < 2) {
      y.push(c);
      p.push(packet[w]);
    }
  }
  let correct = 0;
  for (let i = 0; i < y.length; i++) correct += y[i] === p[i] ? 1 : 0;
  return {
    packetShare: nw.map((n, c) => (n ? pw[c] / n : null)) as Ceiling['packetShare'],
    packetWindows: pw, windows: nw,
    testMcc: y.length ? matthewsCorrcoef(y, p, 2) : null,
    testAccuracy: y.length ? correct / y.length : null,
    testWindows: y.length,
  };
}
