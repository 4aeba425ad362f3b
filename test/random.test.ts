// Tests for lib/core/random.ts: determinism, independence of streams, distribution moments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, rngFor } from '../lib/core/random';

test('same seed and stream give the same numbers', () => {
  const a = rngFor('test', 'x');
  const b = rngFor('test', 'x');
  for (let i = 0; i < 1000; i++) assert.is(a.uint32(), b.uint32());
});

test('different streams differ', () => {
  const a = rngFor('test', 'day-1');
  const b = rngFor('test', 'day-2');
  let same = 0;
  for (let i = 0; i < 100; i++) if (a.uint32() === b.uint32()) same++;
  assert.ok(same < 3);
});

test('fork does not advance the parent and is reproducible', () => {
  const a = new Rng(1, 'p');
  const f1 = a.fork('c');
  const x = a.next();
  const b = new Rng(1, 'p');
  const f2 = b.fork('c');
  assert.is(b.next(), x);
  assert.is(f1.next(), f2.next());
});

test('uniform and normal moments', () => {
  const r = rngFor('test', 'moments');
  const n = 200_000;
  let s = 0, s2 = 0, ns = 0, ns2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    s += u; s2 += u * u;
    const z = r.normal();
    ns += z; ns2 += z * z;
  }
  assert.ok(Math.abs(s / n - 0.5) < 0.005);
  assert.ok(Math.abs(s2 / n - s * s / n / n - 1 / 12) < 0.002);
  assert.ok(Math.abs(ns / n) < 0.01);
  assert.ok(Math.abs(ns2 / n - 1) < 0.02);
});

test('permutation is a permutation', () => {
  const p = rngFor('test', 'perm').permutation(1000);
  const seen = new Uint8Array(1000);
  for (const v of p) seen[v]++;
  assert.ok(seen.every((c) => c === 1));
});

test('int rejects bad n', () => {
  assert.throws(() => rngFor('test').int(0), /positive/);
});

test.run();
