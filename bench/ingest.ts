// Benchmark of the `make data` import step (lib/download/ingest.ts; paper section 2.3 data path): full-size
// synthetic Swarm A days (MAG 1 Hz, EFI 2 Hz) as VirES HAPI CSV and as ESA daily CDF ZIPs, placed in a temporary
// download folder with their lock entries, imported into a temporary store. Prints seconds per day.
// Usage: npx tsx bench/ingest.ts [--days N]   (default 2)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { ingestDownloads } from '../lib/download/ingest';
import { emptyLock, sha256File, writeLock } from '../lib/download/lock';
import { defaultConfig, esaFileChunk, hapiChunk, isoZ } from '../lib/download/plan';
import { unixMsToEpoch } from '../lib/swarm/cdf';
import { buildCdf } from '../lib/swarm/cdf/writer';
import { writeZip } from '../test/zip-writer';
import { SwarmStore } from '../lib/swarm/store';

const DAY = 86_400_000;
const days = Number(parseArgs({ options: { days: { type: 'string' } } }).values.days ?? 2);
const T0 = Date.UTC(2016, 1, 15);
const cfg = defaultConfig({ source: 'esa' });

/** One-entry deflate ZIP (ESA's *.CDF.ZIP shape). */
function zip1(name: string, data: Uint8Array): Buffer {
  return writeZip([{ name: name, data: data, method: 8 }]);
}

function record(dir: string, lock: ReturnType<typeof emptyLock>, c: { id: string; kind: 'swarm-mag' | 'swarm-efi'; url: string; file: string; format: 'zip' | 'hapi-csv'; start?: number; stop?: number }, bytes: Buffer | string, rows: number | null): void {
  const abs = path.join(dir, c.file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, bytes);
  lock.files[c.file] = { id: c.id, kind: c.kind, format: c.format, url: c.url, file: c.file, start: isoZ(c.start!), stop: isoZ(c.stop!), fetchedAt: new Date().toISOString(), bytes: fs.statSync(abs).size, sha256: sha256File(abs), rows, attempts: 1 };
}

function series(day: number, hz: number): number[] {
  return Array.from({ length: 86400 * hz }, (_, i) => day + (i * 1000) / hz);
}

function prepare(kind: 'hapi' | 'esa'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-ingest-${kind}-`));
  const lock = emptyLock();
  for (let k = 0; k < days; k++) {
    const day = T0 + k * DAY;
    const tm = series(day, 1);
    const te = series(day, 2);
    if (kind === 'esa') {
      const stamp = new Date(day).toISOString().slice(0, 10).replace(/-/g, '');
      const mag = buildCdf({
        variables: [
          { name: 'Timestamp', type: 'CDF_EPOCH', records: tm.length, values: tm.map(unixMsToEpoch) },
          { name: 'Latitude', type: 'CDF_DOUBLE', records: tm.length, values: tm.map((t) => 87 * Math.sin(t / 1.5e6)) },
          { name: 'Longitude', type: 'CDF_DOUBLE', records: tm.length, values: tm.map((t) => ((t / 2e5) % 360) - 180) },
          { name: 'Radius', type: 'CDF_DOUBLE', records: tm.length, values: tm.map(() => 6.83e6) },
          { name: 'B_NEC', type: 'CDF_DOUBLE', dims: [3], records: tm.length, values: tm.flatMap((t) => [2e4 + (t % 997), 100, 4e4]) },
          { name: 'Flags_B', type: 'CDF_UINT1', records: tm.length, values: tm.map(() => 0) },
        ],
      });
      const efi = buildCdf({
        variables: [
          { name: 'Timestamp', type: 'CDF_EPOCH', records: te.length, values: te.map(unixMsToEpoch) },
          { name: 'Ne', type: 'CDF_DOUBLE', records: te.length, values: te.map((t) => 1e5 + (t % 1e5)) },
          { name: 'Flags_Ne', type: 'CDF_UINT2', records: te.length, values: te.map(() => 0) },
        ],
      });
      for (const [kd, product, data, v] of [['swarm-mag', 'SW_OPER_MAGA_LR_1B', mag, '0505'], ['swarm-efi', 'SW_OPER_EFIA_LP_1B', efi, '0602']] as const) {
        const name = `${product}_${stamp}T000000_${stamp}T235959_${v}`;
        const c = esaFileChunk(cfg, kd, { name: `${name}.CDF.ZIP`, day, version: v, mtime: null, size: null });
        record(dir, lock, { ...c, kind: kd, format: 'zip' }, zip1(`${name}_MDR_${kd === 'swarm-mag' ? 'MAG_LR' : 'EFI_LP'}.cdf`, data), null);
      }
    } else {
      const iso = (t: number) => new Date(t).toISOString();
      const mag = tm.map((t) => `${iso(t)},${(87 * Math.sin(t / 1.5e6)).toFixed(6)},${(((t / 2e5) % 360) - 180).toFixed(6)},6830000.00,${2e4 + (t % 997)},100.0,40000.0,0`).join('\n') + '\n';
      const efi = te.map((t) => `${iso(t)},0.0,0.0,6830000.0,${1e5 + (t % 1e5)},0`).join('\n') + '\n';
      const cm = hapiChunk(cfg, 'swarm-mag', day, day + DAY);
      const ce = hapiChunk({ ...cfg, efi: { ...cfg.efi } }, 'swarm-efi', day, day + DAY);
      record(dir, lock, { ...cm, kind: 'swarm-mag', format: 'hapi-csv' }, mag, tm.length);
      record(dir, lock, { ...ce, kind: 'swarm-efi', format: 'hapi-csv' }, efi, te.length);
    }
  }
  writeLock(path.join(dir, 'download-lock.json'), lock);
  return dir;
}

for (const kind of ['hapi', 'esa'] as const) {
  const dir = prepare(kind);
  const bytes = fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => fs.statSync(f).isFile()).reduce((s, f) => s + fs.statSync(f).size, 0);
  const store = new SwarmStore(() => path.join(dir, 'store'));
  const t0 = process.hrtime.bigint();
  const r = ingestDownloads({ outDir: dir, lockFile: path.join(dir, 'download-lock.json'), store, log: () => undefined, forceLogProgress: true });
  const s1 = Number(process.hrtime.bigint() - t0) / 1e9;
  const t1 = process.hrtime.bigint();
  const again = ingestDownloads({ outDir: dir, lockFile: path.join(dir, 'download-lock.json'), store, log: () => undefined, forceLogProgress: true });
  const s2 = Number(process.hrtime.bigint() - t1) / 1e9;
  if (r.written !== days || r.neMatched !== days * 86400 || again.unchanged !== days) throw new Error(`bench ${kind}: unexpected report ${JSON.stringify({ w: r.written, ne: r.neMatched, u: again.unchanged })}`);
  console.log(
    `ingest ${kind.padEnd(4)}: ${days} day(s), ${(bytes / 1e6).toFixed(1)} MB of input, ${r.records} records: ${(s1 / days).toFixed(2)} s/day ` +
      `(${((r.records / s1) / 1e3).toFixed(0)} k records/s); rerun with nothing changed ${(s2 / days).toFixed(3)} s/day`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
