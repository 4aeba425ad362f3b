// Figures and tables of the shortcut audit (issue 10) for notebook 03: shortcut MCCs with their event-bootstrap
// intervals per dataset, feature group and classifier, under the paper and the controlled protocol, beside the
// paper's SafeNet MCC (Table 2) and the precursor ceiling; Table 1 counts under both protocols. Vega-Lite specs
// with data inlined (saveFigure renders them); rows for danfojs tables.
import { AuditResult } from './shortcuts';
import { VegaLiteSpec } from '../figures/render';

/** One row per (dataset, protocol, run, features, classifier) for a table. */
export function shortcutTableRows(r: AuditResult, run: 'signal' | 'null' = 'null'): Record<string, string | number>[] {
  return r.shortcuts.filter((s) => s.run === run).map((s) => ({
    dataset: s.dataset, protocol: s.protocol, features: s.features, classifier: s.classifier,
    MCC: Number(s.mcc.toFixed(3)), '95% low': Number(s.lo.toFixed(3)), '95% high': Number(s.hi.toFixed(3)),
    'contains 0': s.containsZero ? 'yes' : 'NO', 'test windows': s.testWindows, 'test events': s.testEvents,
  }));
}

/** Per dataset and protocol: the largest shortcut MCC on a run, the paper's SafeNet MCC (DataSet 03) and the ceiling. */
export function shortcutSummaryRows(r: AuditResult, run: 'signal' | 'null' = 'null'): Record<string, string | number>[] {
  const keys = [...new Set(r.shortcuts.filter((s) => s.run === run).map((s) => `${s.dataset}|${s.protocol}`))];
  return keys.map((k) => {
    const [id, protocol] = k.split('|');
    const rows = r.shortcuts.filter((s) => s.run === run && s.dataset === Number(id) && s.protocol === protocol);
    const best = rows.reduce((m, s) => (s.mcc > m.mcc ? s : m), rows[0]);
    const d = r.datasets.find((x) => x.dataset === Number(id) && x.protocol === protocol);
    return {
      dataset: Number(id), protocol, 'largest shortcut MCC': Number(best.mcc.toFixed(3)),
      'its 95% interval': `[${best.lo.toFixed(3)}, ${best.hi.toFixed(3)}]`, 'by': `${best.features} (${best.classifier})`,
      'intervals containing 0': `${rows.filter((s) => s.containsZero).length}/${rows.length}`,
      'paper SafeNet MCC': Number(id) === 3 ? r.paperMcc03 : '-',
      'ceiling MCC (perfect packet detector)': d?.ceiling?.testMcc == null ? '-' : Number(d.ceiling.testMcc.toFixed(3)),
      'class-1 windows with a packet': d?.ceiling?.packetShare[1] == null ? '-' : Number(d.ceiling.packetShare[1].toFixed(3)),
    };
  });
}

/** Precursor ceiling and band-energy detector per dataset and protocol (signal run). */
export function ceilingRows(r: AuditResult): Record<string, string | number>[] {
  const f = (v: number | null | undefined) => (v == null ? '-' : Number(v.toFixed(3)));
  return r.datasets.map((d) => ({
    dataset: d.dataset, protocol: d.protocol,
    'windows 0/1/2': d.windows.join('/'), 'test windows 0/1/2': d.testWindows.join('/'),
    'class-1 with packet': f(d.ceiling?.packetShare[1]), 'class-2 with packet': f(d.ceiling?.packetShare[2]),
    'ceiling MCC': f(d.ceiling?.testMcc), 'ceiling accuracy': f(d.ceiling?.testAccuracy),
    'band AUC': f(d.band?.all.auc?.estimate), 'band AUC 95%': d.band?.all.auc ? `[${d.band.all.auc.lo.toFixed(3)}, ${d.band.all.auc.hi.toFixed(3)}]` : '-',
    'band AUC |lat|<50': f(d.band?.lowLatitude.auc?.estimate),
    'band AUC |lat|<50 95%': d.band?.lowLatitude.auc ? `[${d.band.lowLatitude.auc.lo.toFixed(3)}, ${d.band.lowLatitude.auc.hi.toFixed(3)}]` : '-',
  }));
}

/** Class-1 windows kept by the controlled protocol per dataset (signal run). */
export function class1KeptRows(r: AuditResult): Record<string, string | number>[] {
  return r.class1Kept.map((c) => ({ dataset: c.dataset, 'class-1 windows, paper': c.paper, 'class-1 windows, controlled': c.controlled, kept: c.share == null ? '-' : Number(c.share.toFixed(3)) }));
}

/**
 * Shortcut MCCs with 95 % intervals, one panel row per protocol, x = feature group, colour = classifier, one
 * column per dataset; rules at 0 and at the paper's SafeNet MCC on DataSet 03.
 */
export function shortcutSpec(r: AuditResult, run: 'signal' | 'null' = 'null', ids: number[] = [3], title?: string): VegaLiteSpec {
  const values = r.shortcuts.filter((s) => s.run === run && ids.includes(s.dataset)).map((s) => ({
    dataset: `DataSet ${String(s.dataset).padStart(2, '0')}`, protocol: s.protocol, features: s.features, classifier: s.classifier,
    mcc: s.mcc, lo: s.lo, hi: s.hi,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: title ?? {
      text: `Shortcut classifiers on nuisance features, ${run} run: class 0 vs 1 MCC, 95% event-bootstrap intervals`,
      subtitle: "dashed: the paper's SafeNet on DataSet 03 (Table 2)",
    },
    data: { values },
    facet: { column: { field: 'protocol', type: 'nominal', title: null, sort: ['paper', 'controlled'] }, row: { field: 'dataset', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 180,
      layer: [
        { mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0 } } },
        { mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { y: { datum: r.paperMcc03 } } },
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            x: { field: 'features', type: 'nominal', title: null, sort: r.params.groups },
            xOffset: { field: 'classifier', type: 'nominal' },
            y: { field: 'lo', type: 'quantitative', title: 'MCC', scale: { domain: [-0.6, 1] } },
            y2: { field: 'hi' },
            color: { field: 'classifier', type: 'nominal' },
          },
        },
        {
          mark: { type: 'point', filled: true },
          encoding: {
            x: { field: 'features', type: 'nominal', sort: r.params.groups },
            xOffset: { field: 'classifier', type: 'nominal' },
            y: { field: 'mcc', type: 'quantitative' },
            color: { field: 'classifier', type: 'nominal', title: 'classifier' },
            tooltip: [{ field: 'dataset' }, { field: 'features' }, { field: 'classifier' }, { field: 'mcc', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }],
          },
        },
      ],
    },
  };
}

/** Table 1 counts per dataset under both protocols: windows per class (all splits) and real+artificial events with windows. */
export function table1ProtocolRows(
  paper: { id: number; summary: { counts: { bySplitClass: number[][]; realEventsWithWindows: number; artificialEventsWithWindows: number } } }[],
  controlled: typeof paper,
): Record<string, string | number>[] {
  const cls = (c: { bySplitClass: number[][] }) => [0, 1, 2].map((k) => c.bySplitClass.reduce((a, s) => a + s[k], 0));
  return paper.map((p) => {
    const c = controlled.find((x) => x.id === p.id);
    const a = cls(p.summary.counts), b = c ? cls(c.summary.counts) : null;
    return {
      dataset: p.id,
      'paper: windows 0/1/2': a.join('/'),
      'paper: events real+artificial': `${p.summary.counts.realEventsWithWindows}+${p.summary.counts.artificialEventsWithWindows}`,
      'paper: class 0 per class 1 window': a[1] ? Number((a[0] / a[1]).toFixed(2)) : '-',
      'controlled: windows 0/1/2': b ? b.join('/') : '-',
      'controlled: events real+artificial': c ? `${c.summary.counts.realEventsWithWindows}+${c.summary.counts.artificialEventsWithWindows}` : '-',
      'controlled: class 0 per class 1 window': b && b[1] ? Number((b[0] / b[1]).toFixed(2)) : '-',
      'class-1 windows kept': b && a[1] ? Number((b[1] / a[1]).toFixed(3)) : '-',
    };
  });
}

/** Every dataset: the largest shortcut MCC (over feature groups and classifiers) per protocol, with its interval. */
export function shortcutOverviewSpec(r: AuditResult, run: 'signal' | 'null' = 'null', title?: string): VegaLiteSpec {
  const values = shortcutSummaryRows(r, run).map((row) => {
    const [lo, hi] = String(row['its 95% interval']).slice(1, -1).split(', ').map(Number);
    return { dataset: String(row.dataset).padStart(2, '0'), protocol: row.protocol, mcc: row['largest shortcut MCC'], lo, hi, by: row.by };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: title ?? { text: `Largest shortcut MCC per dataset, ${run} run`, subtitle: "95% event-bootstrap intervals; dashed: the paper's SafeNet on DataSet 03" },
    data: { values },
    width: Math.max(200, 60 * new Set(values.map((v) => v.dataset)).size),
    height: 220,
    layer: [
      { mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0 } } },
      { mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { y: { datum: r.paperMcc03 } } },
      {
        mark: { type: 'errorbar', ticks: true },
        encoding: {
          x: { field: 'dataset', type: 'ordinal', title: 'DataSet', axis: { labelAngle: 0 } },
          xOffset: { field: 'protocol', type: 'nominal', sort: ['paper', 'controlled'] },
          y: { field: 'lo', type: 'quantitative', title: 'largest shortcut MCC', scale: { domain: [-0.4, 1] } },
          y2: { field: 'hi' },
          color: { field: 'protocol', type: 'nominal', sort: ['paper', 'controlled'] },
        },
      },
      {
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'dataset', type: 'ordinal' },
          xOffset: { field: 'protocol', type: 'nominal', sort: ['paper', 'controlled'] },
          y: { field: 'mcc', type: 'quantitative' },
          color: { field: 'protocol', type: 'nominal', title: 'protocol', sort: ['paper', 'controlled'] },
          tooltip: [{ field: 'dataset' }, { field: 'protocol' }, { field: 'by' }, { field: 'mcc' }, { field: 'lo' }, { field: 'hi' }],
        },
      },
    ],
  };
}
