// `make data`: fetch the real inputs (USGS catalog, GFZ Kp, Swarm A MAG LR and EFI LP; paper sections 2.1-2.3)
// into data/downloaded/, resumably, and record each file in the download lock; then import the Swarm files into
// the store (lib/download/ingest.ts). Before planning it asks VirES HAPI /info for each Swarm dataset (offline: the
// built-in defaults, said so) and checks the free disk space. --dry-run lists the requests and the disk estimate.
// Usage: npx tsx scripts/data.ts [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--only catalog,kp,swarm-mag,swarm-efi]
//        [--source hapi|esa] [--dry-run [--summary]] [--offline] [--list] [--no-ingest | --ingest-only] [--help]
import { parseArgs } from 'util';
import { PROFILES, ProfileName } from '../lib/core/config';
import { paths, rel } from '../lib/core/paths';
import { defaultConfig, DownloadConfig, Kind, KINDS, period } from '../lib/download/plan';
import { describeEstimate, freeBytes } from '../lib/download/disk';
import { HapiInfoError, resolveHapiInfo } from '../lib/download/info';
import { dryRun, FatalDownloadError, listDownloaded, runDownloads } from '../lib/download/run';
import { ingestDownloads } from '../lib/download/ingest';
import { SwarmStore } from '../lib/swarm/store';

const HELP = `make data / npx tsx scripts/data.ts: download the real inputs (default: the paper's period ${PROFILES.paper.from}..${PROFILES.paper.to})

  --from YYYY-MM-DD       first day (inclusive)
  --to YYYY-MM-DD         last day (inclusive)
  --profile NAME          take --from/--to from a profile (smoke, default, paper)
  --only LIST             kinds, comma-separated: ${KINDS.join(',')} (default: all)
  --source hapi|esa       Swarm A through VirES HAPI CSV (default) or ESA's daily CDF ZIPs
  --dry-run               list the requests, their count per kind and the disk estimate; download nothing
                          (asks /hapi/info only, with a 10 s timeout; unreachable: the built-in defaults, said so)
  --summary               with --dry-run: counts only
  --offline               do not ask /hapi/info: plan with the built-in defaults (parameters, span, no clipping)
  --info-timeout S        idle timeout of one /hapi/info request in seconds (default 30; --dry-run: 10)
  --no-disk-check         start even when the free disk space is below the estimate
  --refetch-modified      fetch again HAPI files fetched under another /info modificationDate of their dataset
  --list                  list the files already downloaded, per kind
  --min-magnitude M       catalog threshold (default 4.8)
  --concurrency N         requests in flight (default 1)
  --retries N             retries of one request (default 6)
  --backoff-ms MS         first retry delay, doubled each time (default 2000)
  --timeout S             idle timeout of one request in seconds (default 120)
  --verify                re-hash complete files against the lock before skipping them
  --force                 fetch again even complete files
  --out DIR, --lock FILE  download folder and lock file (default ${rel(paths.downloads)}, ${rel(paths.downloadLock)})
  --no-ingest             download only; do not import the Swarm files into the store
  --ingest-only           import the Swarm files already downloaded into the store (days from --from..--to); fetch nothing
  --store DIR             Swarm store folder for the import (default ${rel(paths.store('real'))}; with --out OUT: OUT/store/real)
  --fdsn-url, --kp-url, --hapi-url, --esa-url URL   service base URLs
  --mag-parameters LIST, --efi-parameters LIST      HAPI parameters (any order: /hapi/info's order is used). VirES
                          serves only the latest baseline: the paper's Ne is N_ion (Flags_N_ion); N_elec is another estimate
`;

function fail(msg: string): never {
  console.error(`data: ${msg}`);
  process.exit(2);
}

function num(v: string | undefined, name: string, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) fail(`${name} must be a number >= ${min}, got '${v}'`);
  return n;
}

async function main(): Promise<void> {
  let a;
  try {
    a = parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        profile: { type: 'string' },
        only: { type: 'string' },
        source: { type: 'string' },
        'dry-run': { type: 'boolean' },
        offline: { type: 'boolean' },
        'info-timeout': { type: 'string' },
        'no-disk-check': { type: 'boolean' },
        'refetch-modified': { type: 'boolean' },
        summary: { type: 'boolean' },
        list: { type: 'boolean' },
        'min-magnitude': { type: 'string' },
        concurrency: { type: 'string' },
        retries: { type: 'string' },
        'backoff-ms': { type: 'string' },
        timeout: { type: 'string' },
        verify: { type: 'boolean' },
        force: { type: 'boolean' },
        out: { type: 'string' },
        lock: { type: 'string' },
        'fdsn-url': { type: 'string' },
        'kp-url': { type: 'string' },
        'hapi-url': { type: 'string' },
        'esa-url': { type: 'string' },
        'mag-parameters': { type: 'string' },
        'efi-parameters': { type: 'string' },
        'no-ingest': { type: 'boolean' },
        'ingest-only': { type: 'boolean' },
        store: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${HELP}`);
  }
  if (a.help) {
    console.log(HELP);
    return;
  }
  const base = defaultConfig();
  let from = base.from;
  let to = base.to;
  if (a.profile !== undefined) {
    const p = PROFILES[a.profile as ProfileName];
    if (!p) fail(`--profile ${a.profile} is not a profile; choose one of ${Object.keys(PROFILES).join(', ')}`);
    from = p.from;
    to = p.to;
  }
  from = a.from ?? from;
  to = a.to ?? to;
  let only: Kind[] = [...KINDS];
  if (a.only !== undefined) {
    only = a.only.split(',').map((s) => s.trim()).filter(Boolean) as Kind[];
    const bad = only.filter((k) => !KINDS.includes(k));
    if (bad.length || only.length === 0) fail(`--only: unknown kind(s) '${bad.join(',') || a.only}'; known: ${KINDS.join(', ')}`);
  }
  const source = (a.source ?? 'hapi') as DownloadConfig['source'];
  if (source !== 'hapi' && source !== 'esa') fail(`--source must be hapi or esa, got '${a.source}'`);
  const params = (v: string | undefined, dflt: string[]) => (v === undefined ? dflt : v.split(',').map((s) => s.trim()).filter(Boolean));
  const cfg = defaultConfig({
    from,
    to,
    only,
    source,
    minMagnitude: num(a['min-magnitude'], '--min-magnitude', base.minMagnitude, -10),
    baseUrls: {
      fdsn: a['fdsn-url'] ?? base.baseUrls.fdsn,
      kp: a['kp-url'] ?? base.baseUrls.kp,
      hapi: a['hapi-url'] ?? base.baseUrls.hapi,
      esa: a['esa-url'] ?? base.baseUrls.esa,
    },
    mag: { ...base.mag, parameters: params(a['mag-parameters'], base.mag.parameters) },
    efi: { ...base.efi, parameters: params(a['efi-parameters'], base.efi.parameters) },
  });
  try {
    period(cfg);
  } catch (e) {
    fail((e as Error).message);
  }
  const outDir = a.out ?? paths.downloads;
  const lockFile = a.lock ?? (a.out ? `${a.out}/download-lock.json` : paths.downloadLock);

  if (a.list) {
    for (const k of only) {
      const files = listDownloaded(k, { outDir, lockFile });
      console.log(`# ${k}: ${files.length} file(s)`);
      for (const f of files) console.log(`${f.file}  ${f.bytes} bytes  sha256 ${f.sha256}${f.rows !== null ? `  ${f.rows} rows` : ''}`);
    }
    return;
  }

  if (a['no-ingest'] && a['ingest-only']) fail('--no-ingest and --ingest-only exclude each other');
  const storeDir = a.store ?? (a.out ? `${a.out}/store/real` : paths.store('real'));
  const ingest = (): boolean => {
    if (!only.includes('swarm-mag') && !only.includes('swarm-efi')) return true;
    const { start, stop } = period(cfg);
    const r = ingestDownloads({ from: start, to: stop, outDir, lockFile, store: new SwarmStore(() => storeDir) });
    return r.failed === 0;
  };
  if (a['ingest-only']) {
    if (!ingest()) {
      console.error('data: some days could not be imported (see the messages above)');
      process.exit(1);
    }
    return;
  }

  if (a['dry-run']) {
    console.log(`make data --dry-run: ${cfg.from}..${cfg.to}, Swarm source ${cfg.source}, nothing is downloaded`);
    let planned = cfg;
    if (source === 'hapi' && (only.includes('swarm-mag') || only.includes('swarm-efi'))) {
      try {
        const info = await resolveHapiInfo(cfg, { offline: a.offline ?? false, timeoutMs: num(a['info-timeout'], '--info-timeout', 10, 1) * 1000 });
        planned = info.cfg;
        for (const n of info.notes) console.log(`/info: ${n}`);
      } catch (e) {
        if (e instanceof HapiInfoError) fail(e.message);
        throw e;
      }
    }
    const d = dryRun(planned, { outDir, lockFile });
    if (!a.summary) for (const l of d.lines) console.log(l);
    console.log('\nrequests per kind:');
    for (const c of d.counts) {
      const extra = c.pendingDaily ? ` + ${c.pendingDaily} daily files after the listing` : '';
      const done = c.complete ? ` (${c.complete} already complete)` : '';
      console.log(`  ${c.kind.padEnd(10)} ${String(c.requests).padStart(6)}${extra}${done}`);
    }
    console.log(`  ${'total'.padEnd(10)} ${String(d.total).padStart(6)}`);
    if (only.includes('catalog')) console.log('(a catalog window that reaches the 20,000-row limit is halved, adding requests)');
    if (source === 'hapi' && (only.includes('swarm-mag') || only.includes('swarm-efi')))
      console.log('(a HAPI request refused with 1408 "too much data" is halved, adding requests)');
    if (!a['no-ingest'] && (only.includes('swarm-mag') || only.includes('swarm-efi')))
      console.log(`(then the Swarm files are imported into the store ${rel(storeDir)}, one file per day; --no-ingest skips this)`);
    let free: number | null = null;
    try {
      free = freeBytes(outDir);
    } catch {
      free = null;
    }
    for (const l of describeEstimate(d.disk, free, rel(outDir))) console.log(l);
    return;
  }

  console.log(`make data: ${cfg.from}..${cfg.to} (${only.join(', ')}; Swarm through ${source}) into ${rel(outDir)}`);
  try {
    const r = await runDownloads(cfg, {
      outDir,
      lockFile,
      concurrency: num(a.concurrency, '--concurrency', 1, 1),
      retries: num(a.retries, '--retries', 6),
      backoffMs: num(a['backoff-ms'], '--backoff-ms', 2000),
      timeoutMs: num(a.timeout, '--timeout', 120, 1) * 1000,
      verify: a.verify ?? false,
      force: a.force ?? false,
      offline: a.offline ?? false,
      infoTimeoutMs: num(a['info-timeout'], '--info-timeout', 30, 1) * 1000,
      diskCheck: !(a['no-disk-check'] ?? false),
      refetchModified: a['refetch-modified'] ?? false,
    });
    console.log(
      `data: ${r.downloaded.length} file(s) fetched (${(r.bytes / 1e6).toFixed(1)} MB, ${r.requests} request(s), ${r.splits} split(s)), ` +
        `${r.skipped.length} already complete, ${r.failed.length} failed; lock: ${rel(lockFile)}`,
    );
    if (r.outside.length) console.log(`data: ${r.outside.length} HAPI request(s) answered 1405 (outside the dataset's time range): skipped`);
    if (r.staleFiles.length && !a['refetch-modified'])
      console.log(`data: ${r.staleFiles.length} HAPI file(s) were fetched under an older /info modificationDate (kept; --refetch-modified fetches them again)`);
    if (r.relisted.length) console.log(`data: ${r.relisted.length} ESA file(s) fetched again: the listing shows a new mtime`);
    const imported = a['no-ingest'] ? true : ingest();
    if (r.failed.length) {
      for (const f of r.failed) console.error(`  failed: ${f.id}: ${f.error}`);
      console.error('data: some requests failed; run `make data` again to resume (complete files are kept)');
      process.exit(1);
    }
    if (!imported) {
      console.error('data: some days could not be imported (see the messages above); fix or delete the named files and rerun');
      process.exit(1);
    }
  } catch (e) {
    if (e instanceof FatalDownloadError) fail(e.message);
    throw e;
  }
}

// `data --dry-run | head` closes stdout early: stop quietly
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
