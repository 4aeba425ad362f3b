// Tests for lib/notebooks/cache.ts: what makes `make reproduce` run a notebook again (its key: its file, the
// source tree, SAFENET_* settings, the build's inputs by content) and what lets it skip one (same key before or at
// the end of the last run, outputs as recorded).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  buildDigest, CONTENT_HASH_LIMIT, digestOf, notebookKey, readNotebookCache, rerunReason, sourceKey, staleOutput, treeDigest, writeNotebookCache,
} from '../lib/notebooks/cache';
import { tempDirs } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

function tree(): string {
  const root = tempDir('nbcache-');
  fs.mkdirSync(path.join(root, 'results', 'a'), { recursive: true });
  fs.writeFileSync(path.join(root, 'results', 'a', 'metrics.json'), '{"mcc": 0.3}');
  fs.writeFileSync(path.join(root, 'results', 'big.bin'), Buffer.alloc(CONTENT_HASH_LIMIT + 1, 7));
  return root;
}

test('treeDigest follows content for small files, size and time for large ones, and names', () => {
  const root = tree();
  const d0 = treeDigest(root, ['results', 'datasets']);
  assert.is(treeDigest(root, ['results', 'datasets']), d0);
  // the same bytes written again (a result rewritten identically): unchanged
  const small = path.join(root, 'results', 'a', 'metrics.json');
  fs.writeFileSync(small, '{"mcc": 0.3}');
  fs.utimesSync(small, new Date(), new Date(Date.now() + 5000));
  assert.is(treeDigest(root, ['results', 'datasets']), d0);
  // other bytes: changed
  fs.writeFileSync(small, '{"mcc": 0.4}');
  const d1 = treeDigest(root, ['results', 'datasets']);
  assert.is.not(d1, d0);
  // a large file touched: changed (not read)
  fs.utimesSync(path.join(root, 'results', 'big.bin'), new Date(), new Date(Date.now() + 10000));
  assert.is.not(treeDigest(root, ['results', 'datasets']), d1);
  // a new file, and a missing root, count by name
  const d2 = treeDigest(root, ['results']);
  fs.writeFileSync(path.join(root, 'results', 'new.json'), '{}');
  assert.is.not(treeDigest(root, ['results']), d2);
});

test('notebookKey: the notebook file, SAFENET_* settings (not the folders) and the build state', () => {
  const build = tree();
  const src = tempDir('nbsrc-');
  fs.mkdirSync(path.join(src, 'lib'));
  fs.writeFileSync(path.join(src, 'lib', 'x.ts'), 'export const x = 1;\n');
  const nb = path.join(src, '05.ipynb');
  fs.writeFileSync(nb, '{"cells": []}');
  const s0 = sourceKey('default', { SAFENET_BACKEND: 'cpu', SAFENET_BUILD_DIR: '/a' }, src);
  assert.is(sourceKey('default', { SAFENET_BACKEND: 'cpu', SAFENET_BUILD_DIR: '/b', HOME: '/x' }, src), s0);
  assert.is.not(sourceKey('default', { SAFENET_BACKEND: 'wasm' }, src), s0);
  assert.is.not(sourceKey('smoke', { SAFENET_BACKEND: 'cpu' }, src), s0);
  const k0 = notebookKey(nb, s0, buildDigest(build));
  fs.writeFileSync(path.join(src, 'lib', 'x.ts'), 'export const x = 2;\n');
  assert.is.not(sourceKey('default', { SAFENET_BACKEND: 'cpu' }, src), s0);
  fs.writeFileSync(nb, '{"cells": [1]}');
  assert.is.not(notebookKey(nb, s0, buildDigest(build)), k0);
  fs.writeFileSync(nb, '{"cells": []}');
  assert.is(notebookKey(nb, s0, buildDigest(build)), k0);
  fs.writeFileSync(path.join(build, 'results', 'a', 'metrics.json'), '{"mcc": 0.5}');
  assert.is.not(notebookKey(nb, s0, buildDigest(build)), k0);
});

test('rerunReason: not run before, inputs changed, outputs missing or changed; same key before or at the end skips', () => {
  const dir = tempDir('nbout-');
  const out = path.join(dir, 'fig.svg');
  fs.writeFileSync(out, '<svg/>');
  const entry = { key: 'k-before', endKey: 'k-end', seconds: 12, outputs: [digestOf(out)] };
  assert.is(rerunReason(undefined, 'k'), 'not run before');
  assert.match(rerunReason(entry, 'other')!, /inputs changed/);
  assert.is(rerunReason(entry, 'k-before'), null);
  assert.is(rerunReason(entry, 'k-end'), null);
  fs.writeFileSync(out, '<svg></svg>');
  assert.match(rerunReason(entry, 'k-end')!, /fig\.svg changed since the notebook ran/);
  fs.rmSync(out);
  assert.match(staleOutput(entry.outputs)!, /fig\.svg is missing/);
});

test('the cache file: written atomically, read back; a damaged one counts as empty', () => {
  const dir = tempDir('nbfile-');
  const file = path.join(dir, '.reproduce-cache.json');
  assert.equal(readNotebookCache(file), { version: 1, notebooks: {} });
  const c = { version: 1 as const, notebooks: { '00.ipynb': { key: 'a', endKey: 'b', seconds: 3, outputs: [] } } };
  writeNotebookCache(c, file);
  assert.equal(readNotebookCache(file), c);
  fs.writeFileSync(file, '{"version": 1, "notebooks": ');
  assert.equal(readNotebookCache(file), { version: 1, notebooks: {} });
});

test.run();
