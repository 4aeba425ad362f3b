// The 17 dataset configurations of the paper's Table 1 as data (night/day, spatial window, input length T,
// magnitude range, number of real earthquakes, positive-to-negative ratio), built by one function.
// Serves paper section 4 and Table 1.
import { PAPER_CATALOG, PAPER_MAGNITUDE_BINS, PAPER_TABLE1 } from '../core/paper';

export type SpatialRule = { kind: 'dobrovolsky' } | { kind: 'degrees'; deg: number };
export type LocalTimeBand = 'night' | 'day';

export interface DatasetConfig {
  id: number;
  name: string;
  band: LocalTimeBand;
  spatial: SpatialRule;
  /** Window length (consecutive 1 Hz samples). */
  T: number;
  /** Magnitude range [lo, hi] of the real events (hi exclusive unless magHiClosed); null: all (>= catalog minimum). */
  magBin: [number, number] | null;
  magHiClosed: boolean;
  /** Artificial non-seismic events per real event. */
  ratio: number;
  /** What Table 1 says, verbatim in substance. */
  paper: { nightDay: string; spatial: string; inputLength: string; magnitude: string; realEvents: number; ratio: string };
}

/** Key of the sample selection a config uses: configs differing only in T share one selection. */
export function selectionKey(c: DatasetConfig): string {
  const sp = c.spatial.kind === 'dobrovolsky' ? 'dob' : `deg${c.spatial.deg}`;
  const mb = c.magBin ? `${c.magBin[0]}-${c.magBin[1]}${c.magHiClosed ? ']' : ')'}` : 'all';
  return `${c.band}|${sp}|${mb}|1:${c.ratio}`;
}

export function spatialLabel(s: SpatialRule): string {
  return s.kind === 'dobrovolsky' ? 'Dobrovolsky radius' : `${s.deg} deg`;
}

/** Build the 17 configurations of Table 1. */
export function table1Configs(): DatasetConfig[] {
  const dob: SpatialRule = { kind: 'dobrovolsky' };
  const rows: Omit<DatasetConfig, 'name' | 'paper' | 'magHiClosed'>[] = [];
  const base = { band: 'night' as LocalTimeBand, spatial: dob, T: PAPER_TABLE1.referenceT, magBin: null, ratio: 1 };
  // 01-05: input lengths 60, 80, 70, 50, 40
  PAPER_TABLE1.inputLengths.forEach((T, k) => rows.push({ ...base, id: 1 + k, T }));
  rows.push({ ...base, id: 6, band: 'day' });
  PAPER_TABLE1.degrees.forEach((deg, k) => rows.push({ ...base, id: 7 + k, spatial: { kind: 'degrees', deg } }));
  const bins: [number, number][] = PAPER_MAGNITUDE_BINS.map((b) => [b.min, b.max]);
  bins.forEach((b, k) => rows.push({ ...base, id: 11 + k, magBin: b }));
  PAPER_TABLE1.ratios.forEach((ratio, k) => rows.push({ ...base, id: 14 + k, ratio }));
  const paperCounts: Record<number, number> = Object.fromEntries(PAPER_MAGNITUDE_BINS.map((b) => [b.dataset, b.paperEvents]));
  return rows.map((r) => ({
    ...r,
    name: `DataSet ${String(r.id).padStart(2, '0')}`,
    magHiClosed: r.id === 13,
    paper: {
      nightDay: r.band === 'night' ? 'Nighttime' : 'Daytime',
      spatial:
        r.spatial.kind === 'dobrovolsky'
          ? 'center at the epicenter, Dobrovolsky radius'
          : `center at the epicenter, deviation of ${r.spatial.deg} deg`,
      inputLength: `${r.T} continuous points`,
      magnitude: r.magBin ? `${r.magBin[0]}~${r.magBin[1]}` : `above ${PAPER_CATALOG.minMag}`,
      realEvents: paperCounts[r.id] ?? PAPER_CATALOG.after,
      ratio: `1:${r.ratio}`,
    },
  }));
}

/** Configs by id, with a clear error for an unknown one. */
export function configsById(ids: number[]): DatasetConfig[] {
  const all = table1Configs();
  return ids.map((id) => {
    const c = all.find((x) => x.id === id);
    if (!c) throw new Error(`no Table 1 dataset ${id}; ids are 1..17`);
    return c;
  });
}
