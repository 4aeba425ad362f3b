// Shared test helpers (not a test file): error assertions, relative error, temporary folders removed after a
// suite, and the `make data` CLI run as a child process.
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';

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
