// Tests for lib/core: profiles and days, atomic writes, progress lines, environment capture.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROFILES, profileDays, activeProfile, SEEDS } from '../lib/core/config';
import { writeFileAtomic, writeFileAtomicIfChanged, withAtomicPath } from '../lib/core/atomic';
import { progress } from '../lib/core/progress';
import { captureEnvironment, environmentMarkdown } from '../lib/core/environment';
import { tempDirs } from './helpers';

/** Temporary folders of this file, removed after its tests. */
const temps = tempDirs();
test.after(temps.cleanup);

test('profile days: period plus case days, sorted and unique', () => {
  const d = profileDays(PROFILES.smoke);
  assert.is(d[0], '2016-02-01');
  assert.ok(d.includes('2016-02-15') && d.includes('2016-04-07'));
  assert.is(new Set(d).size, d.length);
  assert.is(d.length, 21 + 1); // 2016-02-01..21 plus 2016-04-07 (2016-02-15 is inside)
  assert.is(profileDays(PROFILES.paper).length, 2222); // 2014-04-01..2020-04-30
});

test('activeProfile reads SAFENET_PROFILE and rejects unknown names', () => {
  assert.is(activeProfile({}).name, 'default');
  assert.is(activeProfile({ SAFENET_PROFILE: 'smoke' }).name, 'smoke');
  assert.throws(() => activeProfile({ SAFENET_PROFILE: 'huge' }), /SAFENET_PROFILE=huge is not a profile/);
});

test('writeFileAtomicIfChanged leaves an identical file (and its mtime) alone, writes a changed or missing one', () => {
  const dir = temps.tempDir('atomic-if-');
  const f = path.join(dir, 'gt.json');
  assert.is(writeFileAtomicIfChanged(f, 'abc\n'), true);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(f, old, old);
  const mtime = fs.statSync(f).mtimeMs;
  assert.is(writeFileAtomicIfChanged(f, 'abc\n'), false);
  assert.is(fs.statSync(f).mtimeMs, mtime);
  assert.is(writeFileAtomicIfChanged(f, 'abd\n'), true);
  assert.is(fs.readFileSync(f, 'utf8'), 'abd\n');
  assert.equal(fs.readdirSync(dir), ['gt.json']);
});

test('atomic write leaves no temporary file, and a failing writer leaves nothing', async () => {
  const dir = temps.tempDir('atomic-');
  const f = path.join(dir, 'sub', 'a.txt');
  writeFileAtomic(f, 'hello');
  assert.is(fs.readFileSync(f, 'utf8'), 'hello');
  assert.equal(fs.readdirSync(path.dirname(f)), ['a.txt']);
  const g = path.join(dir, 'b.bin');
  try {
    await withAtomicPath(g, (tmp) => {
      fs.writeFileSync(tmp, 'partial');
      throw new Error('interrupted');
    });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /interrupted/);
  }
  assert.not.ok(fs.existsSync(g));
  assert.equal(fs.readdirSync(dir), ['sub']);
});

test('progress prints the first and last step and throttles the rest, without carriage returns', () => {
  const lines: string[] = [];
  const p = progress('days', 1000, { log: (l) => lines.push(l), everySeconds: 3600, forceLog: true });
  for (let i = 0; i < 1000; i++) p.tick(1, `day ${i}`);
  p.done();
  assert.is(lines.length, 3);
  assert.match(lines[0], /^days: 1\/1000 \(0 %\)/);
  assert.match(lines[1], /^days: 1000\/1000 \(100 %\)/);
  assert.match(lines[2], /^days: done, 1000 in/);
  assert.ok(lines.every((l) => !l.includes('\r')));
});

test('environment capture names versions, profile and seeds', () => {
  const e = captureEnvironment('cpu', 'test');
  assert.is(e.backend, 'cpu');
  assert.match(e.node, /^v\d+/);
  assert.is(e.packages['@tensorflow/tfjs'], '4.22.0');
  assert.ok(e.packages.tslab);
  assert.equal(e.seeds, SEEDS);
  const md = environmentMarkdown(e);
  assert.match(md, /\| seeds \| simulator=20140401/);
  assert.match(md, /\| backend \| cpu \|/);
});

test.run();
