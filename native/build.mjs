#!/usr/bin/env node
// Builds the optional native addon (native/safenet_native.cc -> native/build/safenet_native.node) with g++ against
// Node's N-API headers and the system OpenBLAS (Debian: g++ libopenblas-dev). Used by lib/backend/native.ts to
// train SafeNet (paper section 3.2) on the tfjs cpu backend at native speed. Offline: no download of any kind.
// Usage: node native/build.mjs [--optional] [--force]
//   --optional: never fail (npm install, make setup): a missing compiler, header or library prints one line
//               "native kernels: skipped (...)" and exits 0; the package then trains on wasm.
//   --force:    rebuild even when the addon is newer than its source.
// The same addon can be built with node-gyp (native/binding.gyp): node-gyp rebuild --directory native --nodedir=/usr
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(here, 'safenet_native.cc');
const outDir = path.join(here, 'build');
const out = path.join(outDir, 'safenet_native.node');
const optional = process.argv.includes('--optional');
const force = process.argv.includes('--force');

function skip(why) {
  const line = `native kernels: skipped (${why}); training uses the wasm backend`;
  if (optional) {
    console.log(line);
    process.exit(0);
  }
  console.error(line);
  process.exit(1);
}

if (process.env.SAFENET_NATIVE === '0') skip('SAFENET_NATIVE=0');
if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) {
  console.log(`native kernels: ${path.relative(process.cwd(), out)} is up to date`);
  process.exit(0);
}
const cxx = process.env.CXX || 'g++';
if (spawnSync(cxx, ['--version'], { stdio: 'ignore' }).status !== 0) skip(`no C++ compiler '${cxx}': apt-get install g++`);
// Node's headers: next to the node binary (nodesource, official tarballs) or Debian's /usr/include/nodejs
const prefix = path.resolve(path.dirname(process.execPath), '..');
const incDirs = [path.join(prefix, 'include', 'node'), '/usr/include/node', '/usr/include/nodejs/src'];
const nodeInc = incDirs.find((d) => fs.existsSync(path.join(d, 'node_api.h')));
if (!nodeInc) skip(`node_api.h not found in ${incDirs.join(', ')}`);
const blasInc = ['/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu', '/usr/include/openblas', '/usr/include']
  .find((d) => fs.existsSync(path.join(d, 'cblas.h')));
if (!blasInc) skip('cblas.h not found: apt-get install libopenblas-dev');
fs.mkdirSync(outDir, { recursive: true });
const tmp = path.join(outDir, `safenet_native.${process.pid}.tmp.node`);
const args = ['-O3', '-fno-trapping-math', '-fno-math-errno', '-pthread', '-fPIC', '-shared', '-std=c++17', '-DNODE_GYP_MODULE_NAME=safenet_native', '-DNAPI_VERSION=8',
  `-I${nodeInc}`, `-I${blasInc}`, '-o', tmp, src, '-lopenblas'];
const r = spawnSync(cxx, args, { encoding: 'utf8' });
if (r.status !== 0) {
  const err = (r.stderr || r.error?.message || '').trim().split('\n').filter(Boolean);
  const missingLib = err.some((l) => /cannot find -lopenblas/.test(l));
  fs.rmSync(tmp, { force: true });
  skip(missingLib ? 'libopenblas not found: apt-get install libopenblas-dev' : `${cxx} failed: ${err.slice(-1)[0] ?? 'exit ' + r.status}`);
}
// check it loads before putting it in place (a half-built or unloadable addon is never installed)
const check = spawnSync(process.execPath, ['-e', `const m=require(${JSON.stringify(tmp)});const c=new Float32Array(1);` +
  `m.sgemm(false,false,1,1,1,new Float32Array([2]),new Float32Array([3]),c,1,0,0,0);if(c[0]!==6)process.exit(3);` +
  `console.log(m.info().blas)`], { encoding: 'utf8' });
if (check.status !== 0) {
  fs.rmSync(tmp, { force: true });
  skip(`the built addon does not load: ${(check.stderr || '').trim().split('\n')[0] || 'exit ' + check.status}`);
}
fs.renameSync(tmp, out);
console.log(`native kernels: built ${path.relative(process.cwd(), out)} (${check.stdout.trim()})`);
