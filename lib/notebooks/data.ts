// The steps of notebook 01-data (paper section 2.3, the inputs): the data manifest summarised and shown without
// checksum columns, licences, the geomagnetic indices in one sentence, and the real Swarm sample shipped as a
// fixture. Loops and choices live here, tested in test/notebook-steps.test.ts; the notebook calls them.
import * as path from 'path';
import { paths } from '../core/paths';
import { Manifest, verifyShipped, coverage } from '../data/manifest';
import { indicesSpec } from '../data/overview';
import { readKp3Hourly } from '../indices/kp';
import { readDstHourly } from '../indices/dst';
import { readMagCsv } from '../swarm/swarm-csv';

export type Row = Record<string, string | number>;

/** Size in readable units ("1.2 MB"). */
export function formatBytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** One sentence on the manifest: inputs, shipped files that match their recorded size and sha256, coverage. */
export function manifestSummaryMarkdown(m: Manifest): string {
  const checks = verifyShipped(m);
  const cov = coverage(m);
  const ok = checks.filter((c) => c.ok).length;
  const bad = checks.filter((c) => !c.ok).map((c) => `\`${c.localPath}\` (${c.problem})`);
  return `${m.inputs.length} inputs; **${ok} of ${checks.length}** shipped files match their recorded bytes and sha256` +
    (bad.length ? ` (not: ${bad.join(', ')})` : '') +
    `; ${cov.unlisted.length} files without an entry, ${cov.missing.length} entries without a file. ` +
    'The checksums themselves are in `data-manifest.json`.';
}

/** The manifest as a reader scans it: what, where from, how big, which licence (no checksum columns). */
export function manifestTableRows(m: Manifest): Row[] {
  return m.inputs.map((e) => ({
    input: e.id, role: e.role, kind: e.kind, 'paper section': e.paperSection ?? '', file: e.localPath,
    size: formatBytes(e.bytes), source: e.source.url ?? e.source.query ?? e.source.repository ?? '', licence: e.licence,
  }));
}

/** Licence and citation of every data input. */
export function licenceRows(m: Manifest): Row[] {
  return m.inputs.filter((e) => e.kind === 'data').map((e) => ({ input: e.id, licence: e.licence, citation: e.citation, 'paper section': e.paperSection ?? '' }));
}

/** Kp and Dst files and how often Kp exceeds 3 (class 2) in 2014-2020, as markdown. */
export function indicesSummaryMarkdown(kp: ReturnType<typeof readKp3Hourly>, dst: ReturnType<typeof readDstHourly>, from = '2014-01-01', to = '2020-12-31'): string {
  const c = indicesSpec(kp, dst, from, to).counts;
  const pct = (100 * c.kpSlotsAbove) / Math.max(1, c.kpSlots);
  return `Kp: ${kp.info.days.toLocaleString('en-US')} days (${kp.info.format}), ${kp.info.missing} missing slots. ` +
    `Dst: ${dst.info.days.toLocaleString('en-US')} days, ${dst.info.missing} missing hours, ${dst.info.provisional} provisional days. ` +
    `${from.slice(0, 4)}-${to.slice(0, 4)}: ${c.kpSlotsAbove.toLocaleString('en-US')} of ${c.kpSlots.toLocaleString('en-US')} three-hour slots ` +
    `have Kp > 3 (${pct.toFixed(1)} %), on ${c.daysAbove.toLocaleString('en-US')} of ${c.days.toLocaleString('en-US')} days.`;
}

/** The real Swarm A sample shipped as a reader fixture (VirES, MAG LR 1B every 10 s, 2016-01-01). */
export const SWARM_SAMPLE = path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv');

export function readSwarmSample(): ReturnType<typeof readMagCsv> {
  return readMagCsv(SWARM_SAMPLE);
}
