#!/usr/bin/env node
// Test command: runs every test/**/*.test.ts with uvu (TypeScript through tsx) and ends with the line
// "N passed, N failed" that CI reads. Usage: node scripts/run-tests.mjs [regex-of-test-files]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const pattern = filter ? `(${filter})[^/]*\\.test\\.ts$` : '\\.test\\.ts$';
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const child = spawn(process.execPath, [uvu, '-r', 'tsx/cjs', '-i', 'fixtures', 'test', pattern], {
  cwd: root,
  env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  out += d.toString();
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number((plain.match(/Total:\s+(\d+)/) ?? [])[1] ?? NaN);
  const passed = Number((plain.match(/Passed:\s+(\d+)/) ?? [])[1] ?? NaN);
  const skipped = Number((plain.match(/Skipped:\s+(\d+)/) ?? [])[1] ?? 0);
  if (!Number.isFinite(total) || !Number.isFinite(passed)) {
    // uvu stops before its summary when a test file fails to load
    console.log(`\ntest runner: uvu exited with code ${code} before printing its summary`);
    console.log(`0 passed, 1 failed`);
    process.exit(code || 1);
  }
  const failed = Math.max(0, total - passed - skipped) + (code !== 0 && total === passed + skipped ? 1 : 0);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
});
