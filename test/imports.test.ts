// tslab (the notebook kernel) resolves a relative import only when it names a .ts file: a folder import that
// Node would resolve to index.ts fails inside notebooks. This test keeps lib/ importable from notebooks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../lib/core/paths';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

test('every relative import in lib/ names a .ts file (no folder imports)', () => {
  const bad: string[] = [];
  const re = /(?:from\s+|import\(\s*|require\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
  for (const file of tsFiles(path.join(paths.root, 'lib'))) {
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(re)) {
      const target = path.resolve(path.dirname(file), m[1]);
      if (!fs.existsSync(target + '.ts') && !fs.existsSync(target + '.json') && !fs.existsSync(target)) {
        bad.push(`${path.relative(paths.root, file)}: '${m[1]}' does not exist`);
      } else if (!fs.existsSync(target + '.ts') && fs.existsSync(target) && fs.statSync(target).isDirectory()) {
        bad.push(`${path.relative(paths.root, file)}: '${m[1]}' is a folder; import '${m[1]}/index' (tslab cannot resolve folders)`);
      }
    }
  }
  assert.equal(bad, []);
});

test.run();
