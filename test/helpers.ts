// Shared test helpers (not a test file): error assertions, relative error, temporary folders removed after a
// suite, and the `make data` CLI run as a child process.
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { rngFor } from '../lib/core/random';
import { dayStartMs } from '../lib/swarm/store';
import { allocColumns, SwarmDay } from '../lib/swarm/types';

/** Assert that fn throws an error whose message matches re. */
export function expectError(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`no error for ${re}`);
}

/** Run scripts/data.ts with args; resolves with its exit code and output. */
export function runDataCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'data.ts'), ...args], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** Max absolute difference over max |b| (lengths must agree). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.is(a.length, b.length);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return maxDiff / Math.max(scale, 1e-12);
}

/** Temporary folders for one test file: make them with tempDir, remove them all with cleanup (in test.after). */
export function tempDirs(): { tempDir: (prefix: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    tempDir(prefix: string): string {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup(): void {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * A toy DataSet 03 folder as lib/datasets writes it (for experiment tests): 30 events of 8 windows of 20 x 4, class
 * k raises channel k by 3; events 0-17 train, 18-23 validation, 24-29 test. `stream` names the test's random stream.
 */
export function writeToyDataset(dir: string, stream: string) {
  const r = rngFor('test', stream);
  const T = 20, F = 4;
  const nEv = 30, perEv = 8, N = nEv * perEv;
  const X = new Float32Array(N * T * F);
  const label = new Uint8Array(N), eventIndex = new Int32Array(N), split = new Uint8Array(N);
  const startTime = new Float64Array(N);
  for (let e = 0; e < nEv; e++) {
    const y = e % 3;
    for (let j = 0; j < perEv; j++) {
      const w = e * perEv + j;
      label[w] = y;
      eventIndex[w] = e;
      split[w] = e < 18 ? 0 : e < 24 ? 1 : 2;
      startTime[w] = 1.45e12 + e * 86_400_000 + j * 70_000;
      for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) X[(w * T + t) * F + f] = 100 * (f + 1) + r.normal() * 2 + (f === y ? 3 : 0);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const w = (f: string, a: NodeJS.ArrayBufferView) => fs.writeFileSync(path.join(dir, f), a);
  w('X.f32', X); w('label.u8', label); w('eventIndex.i32', eventIndex); w('split.u8', split); w('startTime.f64', startTime);
  for (const f of ['latitude.f32', 'longitude.f32', 'localTime.f32', 'kp.f32']) w(f, new Float32Array(N));
  const bySplitClass = [0, 1, 2].map((s) => [0, 1, 2].map((c) => label.filter((l, i) => l === c && split[i] === s).length));
  const summary = {
    config: { id: 3, name: 'DataSet 03' }, shape: [N, T, F], features: ['B_N', 'B_E', 'B_C', 'Ne'],
    counts: { windows: N, bySplitClass, eventsBySplit: [18, 6, 6], realEventsWithWindows: 10, artificialEventsWithWindows: 20 },
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(summary));
  fs.writeFileSync(path.join(dir, 'events.json'), JSON.stringify({ index: Array.from({ length: nEv }, (_, e) => e), id: Array.from({ length: nEv }, (_, e) => `ev${e}`) }));
  return summary as any;
}

/** A simulated-source Swarm A day of n samples at 1 Hz with simple known values (store and report tests); scale moves B_N. */
export function syntheticSwarmDay(d: string, n: number, scale = 1): SwarmDay {
  const c = allocColumns(n);
  const t0 = dayStartMs(d);
  for (let i = 0; i < n; i++) {
    c.Timestamp[i] = t0 + i * 1000;
    c.Latitude[i] = (i % 180) - 90;
    c.Longitude[i] = (i % 360) - 180;
    c.Radius[i] = 6.8e6;
    c.B_N[i] = 2e4 * scale + i;
    c.B_E[i] = -i;
    c.B_C[i] = 3e4;
    c.Ne[i] = 1e5 + i;
    c.Flags_B[i] = 0;
    c.Flags_Ne[i] = 0;
  }
  return { ...c, satellite: 'A', day: d, source: 'simulated' };
}
