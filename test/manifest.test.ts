// Tests for data-manifest.json, its schema and lib/data/manifest.ts: the manifest validates, every shipped
// file matches its bytes and sha256 (and the shared SHA256SUMS), every file in data/ and the CDF/Swarm
// fixtures is accounted for, downloads have recipes that the downloader knows, and the validator rejects
// broken manifests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { paths, rel } from '../lib/core/paths';
import { coverage, loadManifest, Manifest, manifestRows, verifyShipped } from '../lib/data/manifest';
import { Schema, validate } from '../lib/data/json-schema';
import { KINDS } from '../lib/download/plan';
import { tempDirs } from './helpers';

/** Temporary folders of this file, removed after its tests. */
const temps = tempDirs();
test.after(temps.cleanup);

const m = loadManifest();
const schema = JSON.parse(fs.readFileSync(paths.manifestSchema, 'utf8')) as Schema;

test('manifest validates against its schema; ids are unique', () => {
  assert.equal(validate(m, schema), []);
  assert.is(new Set(m.inputs.map((e) => e.id)).size, m.inputs.length);
  assert.is(m.downloadLock, rel(paths.downloadLock));
});

test('every shipped file has the recorded bytes and sha256', () => {
  const checks = verifyShipped(m);
  // one check per shipped entry, and there are shipped entries to check
  assert.is(checks.length, m.inputs.filter((e) => e.role === 'shipped').length);
  assert.ok(checks.length >= 27, String(checks.length));
  for (const c of checks) assert.ok(c.ok, `${c.localPath}: ${c.problem}`);
});

test('every file in data/ and test/fixtures/{cdf,swarm} is accounted for, and every entry exists', () => {
  const cov = coverage(m);
  assert.equal(cov.unlisted, [], `files without a manifest entry: ${cov.unlisted.join(', ')}`);
  assert.equal(cov.missing, []);
});

test('shipped copies equal the originals (their SHA256SUMS, committed as test/fixtures/manifest/shared-SHA256SUMS)', () => {
  // a verbatim copy of the SHA256SUMS that came with the original inputs (data/PROVENANCE-shared.md), so the
  // check runs in every clone; verifyShipped above checks the files' bytes against the manifest's sha256
  const sums = path.join(__dirname, 'fixtures', 'manifest', 'shared-SHA256SUMS');
  const map: Record<string, string> = {};
  for (const line of fs.readFileSync(sums, 'utf8').trim().split('\n')) {
    const [sha, p] = line.split(/\s+/);
    map[p.replace(/^\.\//, '')] = sha;
  }
  const sharedName = (p: string) =>
    p.replace(/^data\/catalog\//, 'catalog/').replace(/^data\/indices\//, 'indices/').replace(/^test\/fixtures\/cdf\//, 'cdf-fixtures/').replace(/^test\/fixtures\/swarm\//, 'swarm/');
  let compared = 0;
  for (const e of m.inputs.filter((x) => x.role === 'shipped')) {
    const s = map[sharedName(e.localPath)];
    if (s === undefined) continue;
    assert.is(e.sha256, s, e.localPath);
    compared++;
  }
  assert.is(compared, Object.keys(map).length, 'every shared file is shipped');
  assert.is(compared, 25);
});

test('downloaded inputs: recipe with a lock kind the downloader plans, local folder under data/downloaded', () => {
  const dl = m.inputs.filter((e) => e.role === 'downloaded');
  assert.equal(dl.map((e) => e.recipe!.lockKind).sort(), [...KINDS].sort());
  for (const e of dl) {
    assert.ok(e.recipe!.localDir.startsWith('data/downloaded/'), e.id);
    assert.ok(e.source.url || e.source.query, e.id);
  }
  const catalog = dl.find((e) => e.recipe!.lockKind === 'catalog')!;
  assert.match(catalog.source.query!, /minmagnitude=4\.8/);
  assert.equal(catalog.recipe!.period, { from: '2014-04-01', to: '2020-04-30' });
});

test('manifestRows gives one row per input for the notebook table', () => {
  const rows = manifestRows(m);
  assert.is(rows.length, m.inputs.length);
  assert.ok(rows.every((r) => typeof r.id === 'string' && typeof r.licence === 'string'));
});

test('the validator rejects broken manifests with a JSON pointer', () => {
  const clone = () => JSON.parse(JSON.stringify(m)) as Manifest & Record<string, unknown>;
  const paths_ = (v: unknown) => validate(v, schema).map((e) => `${e.path}: ${e.message}`);
  const a = clone();
  delete a.inputs[0].sha256;
  assert.ok(paths_(a).some((s) => s.startsWith("/inputs/0: missing required property 'sha256'")), paths_(a).join('\n'));
  const b = clone();
  const d = b.inputs.findIndex((e) => e.role === 'downloaded');
  b.inputs[d].sha256 = 'a'.repeat(64);
  assert.ok(paths_(b).some((s) => s.startsWith(`/inputs/${d}: must not match`)));
  const c = clone();
  (c.inputs[1] as unknown as Record<string, unknown>).role = 'bundled';
  assert.ok(paths_(c).some((s) => s.startsWith('/inputs/1/role: must be one of "shipped", "downloaded"')));
  const e = clone();
  e.inputs[2].sha256 = 'XYZ';
  assert.ok(paths_(e).some((s) => s.startsWith('/inputs/2/sha256: does not match')));
  const f = clone();
  (f as Record<string, unknown>).extra = 1;
  assert.ok(paths_(f).some((s) => s.startsWith("/extra: property 'extra' is not allowed")));
  const g = clone();
  g.inputs[0].localPath = '../outside.csv';
  assert.ok(paths_(g).some((s) => s.startsWith('/inputs/0/localPath: does not match')));
  assert.throws(() => validate(1, { oneOf: [] } as unknown as Schema), /keyword 'oneOf' is not supported/);
});

test('a changed or missing file is reported', () => {
  const root = temps.tempDir('manifest-');
  const e = m.inputs.find((x) => x.id === 'gfz-ap-daily-2006-2022')!;
  const small = { ...m, inputs: [e, m.inputs.find((x) => x.id === 'gfz-kp-3hourly-2006-2022')!] };
  fs.mkdirSync(path.join(root, 'data', 'indices'), { recursive: true });
  const text = fs.readFileSync(path.join(paths.root, e.localPath), 'utf8');
  fs.writeFileSync(path.join(root, e.localPath), text.replace('2006-01-01,7', '2006-01-01,8'));
  const checks = verifyShipped(small, root);
  assert.match(checks[0].problem!, /^sha256 [0-9a-f]{64}, manifest says/);
  assert.is(checks[1].problem, 'file missing');
  fs.writeFileSync(path.join(root, 'data', 'indices', 'stray.csv'), 'x');
  assert.equal(coverage(small, root).unlisted, ['data/indices/stray.csv']);
});

test.run();
