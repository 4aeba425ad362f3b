// Free-disk check of `make data` (inputs of paper sections 2.1-2.3): before any download starts, the bytes the
// remaining requests will write are estimated per kind from measured sizes and compared with the free space of the
// download folder; `--dry-run` prints the same estimate. The per-kind sizes are named parameters with their source.
import * as fs from 'fs';
import * as path from 'path';
import type { Chunk, DownloadConfig, HapiProduct, Kind, KindPlan } from './plan';
import { hapiColumns } from './plan';

const DAY = 86_400_000;
/** Days of the paper's period 2014-04-01..2020-04-30 (the period the measured totals below refer to). */
const PAPER_DAYS = (Date.UTC(2020, 4, 1) - Date.UTC(2014, 3, 1)) / DAY;

/**
 * Sizes behind the estimate. Each is a measurement or a stated derivation; none is a guess without a reason.
 */
export const DISK_PARAMS = {
  /**
   * VirES HAPI CSV of the paper period with the default parameters: about 22 GB for MAG LR (1 Hz, time +
   * Latitude,Longitude,Radius,B_NEC(3),Flags_B = 8 columns) and 37 GB for EFI LP (2 Hz, time + 5 columns), as
   * measured on recorded answers of the live service (issue 17). Other parameter lists scale with their columns.
   */
  hapiMagBytesPerDay: 22e9 / PAPER_DAYS,
  hapiMagColumns: 8,
  hapiEfiBytesPerDay: 37e9 / PAPER_DAYS,
  hapiEfiColumns: 6,
  /** ESA daily EFI LP CDF ZIPs of the paper period: about 28 GB (issue 17); one 2024 file measured 12.4 MB. */
  esaEfiBytesPerDay: 28e9 / PAPER_DAYS,
  /**
   * ESA daily MAG LR CDF ZIPs: not measured. Derived: a MAG LR record holds 271 bytes (VirES product_types.json
   * layout of SW_MAGx_LR_1B: time, position, 5 scalars, 6 3-vectors, a quaternion, flags), 86,400 a day; an EFI LP
   * record 151 bytes, 172,800 a day; the EFI ZIP ratio (esaEfiBytesPerDay over its raw bytes) applied to MAG.
   */
  esaMagBytesPerDay: 271 * 86_400 * ((28e9 / PAPER_DAYS) / (151 * 172_800)),
  /** ComCat CSV: 181 bytes a row (the shipped M>=5.0 file: 3,321,971 bytes, 18,334 rows) x the paper's 18,621 M>=4.8 events over its period. */
  catalogBytesPerDay: (181 * 18_621) / PAPER_DAYS,
  /** GFZ Kp file since 1932: 159 bytes a day line and 634 header bytes (the shipped excerpt of the official file). */
  kpBytesPerDay: 159,
  kpHeaderBytes: 634,
  kpFirstDay: Date.UTC(1932, 0, 1),
  /** An ESA folder listing (JSON, a few thousand entries of ~150 bytes). */
  esaListingBytes: 1e6,
  /** Margin on the estimate before comparing with the free space (the estimate is a mean; days differ). */
  margin: 1.1,
} as const;

function perDayHapi(kind: 'swarm-mag' | 'swarm-efi', p: HapiProduct): number {
  const [perDay, cols] = kind === 'swarm-mag' ? [DISK_PARAMS.hapiMagBytesPerDay, DISK_PARAMS.hapiMagColumns] : [DISK_PARAMS.hapiEfiBytesPerDay, DISK_PARAMS.hapiEfiColumns];
  return (perDay * hapiColumns(p)) / cols;
}

/** Estimated bytes one request writes. */
export function estimateChunkBytes(cfg: DownloadConfig, c: Chunk, now = Date.now()): number {
  const days = c.start !== undefined && c.stop !== undefined ? (c.stop - c.start) / DAY : 0;
  switch (c.format) {
    case 'comcat-csv':
      return days * DISK_PARAMS.catalogBytesPerDay;
    case 'kp-text':
      return DISK_PARAMS.kpHeaderBytes + ((now - DISK_PARAMS.kpFirstDay) / DAY) * DISK_PARAMS.kpBytesPerDay;
    case 'hapi-csv':
      return days * perDayHapi(c.kind as 'swarm-mag' | 'swarm-efi', c.kind === 'swarm-mag' ? cfg.mag : cfg.efi);
    case 'esa-listing':
      return DISK_PARAMS.esaListingBytes;
    case 'zip':
      return days * (c.kind === 'swarm-mag' ? DISK_PARAMS.esaMagBytesPerDay : DISK_PARAMS.esaEfiBytesPerDay);
  }
}

export interface DiskEstimate {
  /** Estimated bytes still to download, per kind and in total (complete files excluded). */
  perKind: Partial<Record<Kind, number>>;
  bytes: number;
  /** bytes x margin: what must be free. */
  needed: number;
}

/** The bytes the plan will still write: requests whose file is not complete, plus the ESA daily files expected. */
export function estimatePlan(cfg: DownloadConfig, plans: KindPlan[], isDone: (c: Chunk) => boolean, now = Date.now()): DiskEstimate {
  const perKind: Partial<Record<Kind, number>> = {};
  for (const kp of plans) {
    let b = 0;
    for (const c of kp.chunks) if (!isDone(c)) b += estimateChunkBytes(cfg, c, now);
    if (kp.pendingDaily) b += kp.pendingDaily * (kp.kind === 'swarm-mag' ? DISK_PARAMS.esaMagBytesPerDay : DISK_PARAMS.esaEfiBytesPerDay);
    perKind[kp.kind] = (perKind[kp.kind] ?? 0) + b;
  }
  const bytes = Object.values(perKind).reduce((s, x) => s + (x ?? 0), 0);
  return { perKind, bytes, needed: bytes * DISK_PARAMS.margin };
}

/** Free bytes (for an unprivileged user) of the file system that holds dir (its nearest existing ancestor). */
export function freeBytes(dir: string): number {
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  const s = fs.statfsSync(d);
  return Number(s.bavail) * Number(s.bsize);
}

/** Human-readable bytes: 21.9 GB, 3.4 MB. */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${Math.round(n)} B`;
}

/** Lines describing an estimate and the free space (for --dry-run and the start of a run). */
export function describeEstimate(e: DiskEstimate, free: number | null, dir: string): string[] {
  const lines = ['disk estimate (bytes still to download; measured sizes per kind, lib/download/disk.ts):'];
  for (const [k, b] of Object.entries(e.perKind)) lines.push(`  ${k.padEnd(10)} ${formatBytes(b ?? 0).padStart(9)}`);
  lines.push(`  ${'total'.padEnd(10)} ${formatBytes(e.bytes).padStart(9)}; with a ${DISK_PARAMS.margin}x margin ${formatBytes(e.needed)} must be free`);
  if (free !== null)
    lines.push(`  free at ${dir}: ${formatBytes(free)}${free < e.needed ? '  -> NOT ENOUGH: a download would stop before it starts' : ''}`);
  return lines;
}
