// Export of a built dataset for reviewers' own tools (issue 10; paper section 3.1's windows): windows.csv (one row
// per window in array order: split, label, event id and kind, time, position, magnetic latitude, local time, Kp,
// ground-truth packet), x.npy (numpy's .npy v1.0, little-endian float32 [N, T, channels], the model's input
// channels after the dataset's preprocessing, unscaled) and README.txt naming columns and channels.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../core/atomic';
import { SPLIT_NAMES } from './splits';
import { LoadedDataset } from './build';
import { windowMagneticLatitudes } from '../audit/features';

/** numpy .npy (format 1.0) bytes of a little-endian float32 C-order array. */
export function npyFloat32(data: Float32Array, shape: number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new Error(`npy: shape ${shape.join('x')} holds ${n} values, got ${data.length}`);
  const shp = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shp}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  if (header.length > 65535) throw new Error('npy: header too long for format 1.0');
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) dv.setFloat32(i * 4, data[i], true);
  return out;
}

export const WINDOW_COLUMNS = [
  'split', 'label', 'event_id', 'event_kind', 'time', 'latitude', 'longitude', 'magnetic_latitude', 'local_time', 'kp', 'packet',
] as const;

export interface ExportInfo {
  dataset: number;
  protocol: string;
  run: string;
  profile: string;
  hash: string;
}

/**
 * Write windows.csv, x.npy and README.txt of a loaded dataset into outDir. events: the dataset's events.json
 * (index -> id, seismic); packet: ground-truth flags per window, or null (real data: column empty).
 */
export function exportDataset(
  ds: LoadedDataset, events: { index: number[]; id: string[]; seismic: number[] }, packet: Uint8Array | null, outDir: string, info: ExportInfo,
): { windows: number; shape: number[]; files: string[] } {
  const [N, T, F] = ds.manifest.shape as number[];
  const idOf = new Map<number, { id: string; seismic: number }>();
  events.index.forEach((e, k) => idOf.set(e, { id: events.id[k], seismic: events.seismic[k] }));
  const m = ds.meta;
  const magLat = windowMagneticLatitudes(m);
  const lines = [WINDOW_COLUMNS.join(',')];
  for (let w = 0; w < N; w++) {
    const ev = idOf.get(m.eventIndex[w]);
    if (!ev) throw new Error(`export: window ${w} refers to event index ${m.eventIndex[w]}, missing from events.json`);
    lines.push([
      SPLIT_NAMES[ds.split[w]], m.label[w], ev.id, ev.seismic ? 'seismic' : 'artificial', new Date(m.startTime[w]).toISOString(),
      m.latitude[w].toFixed(4), m.longitude[w].toFixed(4), magLat[w].toFixed(4), m.localTime[w].toFixed(4), m.kp[w].toFixed(3),
      packet ? packet[w] : '',
    ].join(','));
  }
  fs.mkdirSync(outDir, { recursive: true });
  const csv = path.join(outDir, 'windows.csv'), npy = path.join(outDir, 'x.npy'), readme = path.join(outDir, 'README.txt');
  writeFileAtomic(csv, lines.join('\n') + '\n');
  writeFileAtomic(npy, npyFloat32(ds.X, [N, T, F]));
  const ch = (ds.manifest as { channels?: { channels: string; neScale: string; preprocessing: string } }).channels;
  writeFileAtomic(readme, [
    `DataSet ${String(info.dataset).padStart(2, '0')} (SafeNet Table 1), profile ${info.profile}, ${info.run} run, ${info.protocol} protocol, dataset hash ${info.hash}.`,
    '',
    `x.npy: float32 [${N}, ${T}, ${F}] = [windows, samples at 1 Hz, channels], numpy .npy format 1.0 (numpy.load).`,
    `Channels, in order: ${ds.manifest.features.join(', ')}; ` +
      `channels '${ch?.channels ?? 'raw'}' (raw: as measured; igrf-residual: B_NEC minus IGRF-13; detrended: IGRF residual minus a per-window quadratic), ` +
      `Ne ${ch?.neScale === 'log10' ? 'as log10(cm^-3)' : 'in cm^-3'}, per-window preprocessing '${ch?.preprocessing ?? 'none'}'. B in nT. Not standardised: ` +
      `the training-split scaler is mean ${JSON.stringify(ds.manifest.scaler.mean)} std ${JSON.stringify(ds.manifest.scaler.std)}.`,
    '',
    'windows.csv: one row per window, in the order of x.npy:',
    '  split              train | validation | test (chronological; an event gives windows to one split)',
    '  label              0 non-seismic (artificial event), 1 seismic, 2 Kp > 3 (paper section 3.1)',
    '  event_id           ComCat id of the real event, or ns-<real id>-<replicate> for an artificial event',
    '  event_kind         seismic | artificial',
    '  time               UTC time of the first sample (ISO 8601)',
    '  latitude           geocentric latitude of the middle sample, deg',
    '  longitude          longitude of the middle sample, deg',
    '  magnetic_latitude  dipole (IGRF-13 degree 1) magnetic latitude of the middle sample, deg',
    '  local_time         local mean solar time of the middle sample, hours',
    '  kp                 Kp of the 3-hour slot of the middle sample',
    '  packet             1 when the simulator ground truth puts an injected precursor packet in the window (>= 10 s of it), 0 if not; empty for real data',
    '',
    'Python: import numpy as np, pandas as pd; x = np.load("x.npy"); w = pd.read_csv("windows.csv")',
    '',
  ].join('\n'));
  return { windows: N, shape: [N, T, F], files: [csv, npy, readme] };
}
