// Small tables for the inputs notebook (01-data): what each catalog holds against the paper's selection, the
// indices on the case-study days, the state of the downloads and of the real Swarm store. Paper sections 2.2-2.3.
import * as fs from 'fs';
import { paths, rel } from '../core/paths';
import { Catalog, findEvent, readComcatWithInfo } from '../catalog/comcat';
import { kpLabel, KpSeries, THREE_HOURS_MS, readKpOfficial } from '../indices/kp';
import { DstSeries, HOUR_MS } from '../indices/dst';
import { kpToAp } from '../indices/ap';
import { PAPER_KP_THRESHOLD } from '../core/paper';
import { listDays } from '../swarm/store';
import { Manifest } from './manifest';

export type Row = Record<string, string | number>;

/** The paper's period and catalog selection (section 2.3). */
export const PAPER_PERIOD = { from: '2014-04-01', to: '2020-04-30' } as const;
export const PAPER_MIN_MAG = 4.8;
export const PAPER_EVENT_COUNT = 18621;

/** The two case-study events (section 2.2) with the epicentres the paper quotes. */
export const CASE_EVENTS = [
  { id: 'us10004u1y', name: 'Sumatra 2016', paperLat: -4.952, paperLon: 94.33, paperDepth: 24, trackDay: '2016-02-15' },
  { id: 'us20005j32', name: 'Ecuador 2016', paperLat: 0.371, paperLon: -79.94, paperDepth: 20.6, trackDay: '2016-04-07' },
] as const;

const inPeriod = (t: number) => t >= Date.parse(`${PAPER_PERIOD.from}T00:00:00Z`) && t < Date.parse(`${PAPER_PERIOD.to}T00:00:00Z`) + 86400e3;

/** One row per shipped catalog: size, span, and how many events fall in the paper's selection. */
export function catalogSummaryRows(files: string[] = [paths.catalogM50, paths.catalogM45]): Row[] {
  return files.map((f) => {
    const { catalog: c, info } = readComcatWithInfo(f);
    let t0 = Infinity;
    let t1 = -Infinity;
    let mMin = Infinity;
    let sel = 0;
    for (let i = 0; i < c.time.length; i++) {
      t0 = Math.min(t0, c.time[i]);
      t1 = Math.max(t1, c.time[i]);
      mMin = Math.min(mMin, c.mag[i]);
      if (inPeriod(c.time[i]) && c.mag[i] >= PAPER_MIN_MAG && c.type[i] === 'earthquake') sel++;
    }
    return {
      file: rel(f),
      rows: info.rows,
      from: new Date(t0).toISOString().slice(0, 10),
      to: new Date(t1).toISOString().slice(0, 10),
      'min M': mMin,
      [`earthquakes M>=${PAPER_MIN_MAG} in ${PAPER_PERIOD.from}..${PAPER_PERIOD.to}`]: sel,
      'paper (same selection)': PAPER_EVENT_COUNT,
    };
  });
}

/** The case-study events as in the catalog, beside the paper's epicentres. */
export function caseEventRows(cat: Catalog): Row[] {
  return CASE_EVENTS.map((e) => {
    const i = findEvent(cat, e.id);
    if (i < 0) throw new Error(`case-study event ${e.id} not in the catalog`);
    return {
      event: e.name,
      id: e.id,
      time: new Date(cat.time[i]).toISOString(),
      M: `${cat.mag[i]} ${cat.magType[i]}`,
      'lat (ComCat)': cat.latitude[i],
      'lat (paper)': e.paperLat,
      'lon (ComCat)': cat.longitude[i],
      'lon (paper)': e.paperLon,
      'depth km (ComCat)': cat.depth[i],
      'depth km (paper)': e.paperDepth ?? '-',
    };
  });
}

/** Kp (with GFZ's notation), ap and the Dst range of each 3-hour slot of a day. */
export function dayIndexRows(day: string, kp: KpSeries, dst: DstSeries): Row[] {
  const t0 = Date.parse(`${day}T00:00:00Z`);
  const k0 = Math.round((t0 - kp.time[0]) / THREE_HOURS_MS);
  const d0 = Math.round((t0 - dst.time[0]) / HOUR_MS);
  if (kp.time[k0] !== t0 || dst.time[d0] !== t0) throw new RangeError(`dayIndexRows: ${day} is outside the index series`);
  return Array.from({ length: 8 }, (_, s) => {
    const v = kp.Kp[k0 + s];
    const dsts = Array.from(dst.Dst.subarray(d0 + 3 * s, d0 + 3 * s + 3));
    return {
      day,
      'UT slot': `${String(3 * s).padStart(2, '0')}-${String(3 * s + 3).padStart(2, '0')}`,
      Kp: v,
      'Kp (GFZ)': kpLabel(v),
      ap: kpToAp(v),
      'Kp > 3': v > PAPER_KP_THRESHOLD ? 'yes' : '',
      'Dst (nT, 3 hours)': dsts.join(', '),
    };
  });
}

/** Agreement of the standard Kp -> ap table with the ap GFZ publishes (the official-format excerpt). */
export function apTableCheck(file: string = paths.kpOfficialExcerpt): Row {
  const o = readKpOfficial(file);
  let agree = 0;
  for (let i = 0; i < o.Kp.length; i++) if (kpToAp(o.Kp[i]) === o.ap[i]) agree++;
  return { file: rel(file), days: o.info.days, slots: o.Kp.length, 'ap from the table = GFZ ap': agree };
}

/** Downloaded inputs: the recipe, and what the lock file records so far (nothing before `make data`). */
export function downloadRows(m: Manifest): Row[] {
  let files: { kind: string; bytes: number }[] = [];
  const lockPath = paths.downloadLock;
  if (fs.existsSync(lockPath)) {
    const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { files?: Record<string, { kind: string; bytes: number }> };
    files = Object.values(lock.files ?? {});
  }
  return m.inputs
    .filter((e) => e.role === 'downloaded')
    .map((e) => {
      const mine = files.filter((f) => f.kind === e.recipe!.lockKind);
      return {
        id: e.id,
        service: e.recipe!.service,
        requests: e.recipe!.requests,
        command: e.recipe!.command,
        'files in lock': mine.length,
        'MB in lock': +(mine.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1),
      };
    });
}

/** Days of real Swarm data in the store, per satellite. */
export function realStoreRows(): Row[] {
  return (['A', 'B', 'C'] as const).map((sat) => {
    const days = listDays('real', sat);
    return { satellite: sat, days: days.length, first: days[0] ?? '-', last: days[days.length - 1] ?? '-' };
  });
}
