// Tests for the store's content digests and damaged-file refusal (lib/swarm/store.ts, issue 16): each day file
// gets its sha256 recorded beside it (checked against sha256sum, an independent implementation); reads refuse
// content that does not match; storeFileSha256 trusts the record only while the file's identity holds, so the
// dataset cache (lib/datasets/cache.ts) sees a file rewritten in place with the same size and modification time;
// Arrow files damaged where apache-arrow looped forever, or with Timestamps out of order, fail with the file named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { dayStartMs, decodeDay, digestPath, storeFileSha256, SwarmStore } from '../lib/swarm/store';
import { hashOf, hashParts } from '../lib/datasets/cache';
import { configsById } from '../lib/datasets/table1';
import { DATASET_PARAMS } from '../lib/datasets/params';
import { paths } from '../lib/core/paths';
import { syntheticSwarmDay as day, tempDirs } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

const sha256sum = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];


test('writeDay records the sha256 beside the file; it is what sha256sum computes; reads check it', () => {
  const root = tempDir('digest-');
  const store = new SwarmStore((s) => path.join(root, s));
  const f = store.writeDay(day('2016-02-15', 500));
  const d = JSON.parse(fs.readFileSync(digestPath(f), 'utf8'));
  assert.is(d.sha256, sha256sum(f));
  assert.is(d.file, '2016-02-15.arrow');
  assert.is(d.bytes, fs.statSync(f).size);
  assert.equal(storeFileSha256(f), { sha256: sha256sum(f), recorded: true });
  assert.is(store.readDay('simulated', 'A', '2016-02-15')!.Timestamp.length, 500);
  // rewriting through the store replaces both
  const f2 = store.writeDay(day('2016-02-15', 500, 2));
  assert.is(f2, f);
  assert.equal(storeFileSha256(f), { sha256: sha256sum(f), recorded: true });
  assert.is(store.readDay('simulated', 'A', '2016-02-15')!.B_N[0], 4e4);
});

test('a file rewritten in place (same size, same modification time) is seen as changed by reads and by the dataset cache', () => {
  const root = tempDir('inplace-');
  const store = new SwarmStore((s) => path.join(root, s));
  const f = store.writeDay(day('2016-02-16', 500));
  const otherRoot = tempDir('other-');
  const other = new SwarmStore((s) => path.join(otherRoot, s)).writeDay(day('2016-02-16', 500, 2));
  const st0 = fs.statSync(f);
  const cfg = configsById([1])[0];
  const period = { from: '2016-02-16', to: '2016-02-16', maxEvents: null, source: 'simulated' };
  const inputs = { catalogFile: paths.catalogM50, kpFile: paths.kp3hourly, storeFiles: { '2016-02-16': f } };
  const before = hashParts(cfg, DATASET_PARAMS, period, inputs);
  const oldKey = (s: fs.Stats) => `${s.size}:${Math.round(s.mtimeMs)}`; // what the cache keyed by before issue 16
  // same size, other values; written into the same inode; modification time set back to the original
  const replacement = fs.readFileSync(other);
  assert.is(replacement.length, st0.size);
  fs.writeFileSync(f, replacement);
  fs.utimesSync(f, st0.atime, st0.mtime);
  const st1 = fs.statSync(f);
  assert.is(oldKey(st1), oldKey(st0), 'size and mtime alone cannot tell');
  const now = storeFileSha256(f);
  assert.is(now.recorded, false);
  assert.is(now.sha256, sha256sum(f));
  const after = hashParts(cfg, DATASET_PARAMS, period, inputs);
  assert.is(after.inputs['store 2016-02-16'], `sha256 ${sha256sum(f)}`);
  assert.is.not(after.inputs['store 2016-02-16'], before.inputs['store 2016-02-16']);
  assert.is.not(hashOf(after), hashOf(before));
  assert.throws(() => store.readDay('simulated', 'A', '2016-02-16'), /2016-02-16\.arrow: content sha256 .* differs from the .* recorded when it was written \(rewritten outside the store, or damaged\)/);
  // without a digest (stores written before digests), the content is hashed
  fs.rmSync(digestPath(f));
  assert.equal(storeFileSha256(f), { sha256: sha256sum(f), recorded: false });
  assert.is(store.readDay('simulated', 'A', '2016-02-16')!.B_N[0], 4e4);
});

test('damaged Arrow files fail quickly with the file named (record batch message, counts, Timestamps)', () => {
  const root = tempDir('damaged-');
  const f = new SwarmStore((s) => path.join(root, s)).writeDay(day('2016-02-17', 50));
  const good = fs.readFileSync(f);
  const expect = { source: 'simulated' as const, satellite: 'A' as const, day: '2016-02-17' };
  // the record batch message's root offset (byte 16): apache-arrow's tableFromIPC looped forever on this one
  const m = Buffer.from(good);
  m.writeInt32BE(1, 16);
  assert.throws(() => decodeDay(m, 'm.arrow', expect), /^store: m\.arrow: not a readable Arrow IPC file \(record batch message at byte 8: /);
  // the footer length, and the footer's record-batch count
  const fl = Buffer.from(good);
  fl.writeInt32LE(0x7fffffff, fl.length - 10);
  assert.throws(() => decodeDay(fl, 'fl.arrow', expect), /^store: fl\.arrow: not a readable Arrow IPC file \(footer length 2147483647 does not fit/);
  // Timestamps out of order inside the data body (a value swapped with the next one)
  const t = Buffer.from(good);
  const t0 = BigInt(dayStartMs('2016-02-17'));
  const a = Buffer.alloc(8);
  a.writeBigInt64LE(t0 + 3000n);
  const at = t.indexOf(a);
  assert.ok(at > 0);
  t.writeBigInt64LE(t0 + 5000n, at);
  assert.throws(() => decodeDay(t, 't.arrow', expect), /^store: t\.arrow: record 4: Timestamp \d+ is not inside 2016-02-17 UTC or not after the previous one/);
  assert.is(decodeDay(good, 'good.arrow', expect).day.Timestamp.length, 50);
});

test.run();
