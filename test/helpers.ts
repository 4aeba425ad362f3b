// Shared test helpers (not a test file): error assertions and the `make data` CLI run as a child process.
import * as assert from 'uvu/assert';
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
