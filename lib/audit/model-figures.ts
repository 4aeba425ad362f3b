// Figures of the model audit (issue 15) for notebook 08-audit, from build/results/audit/model-audit.json: the null
// verdicts (class 1 vs 0 AUC of each model with its event-bootstrap interval, per protocol), the injection-recovery
// curve (class-1 recall, AUC and MCC against the injected amplitude with interval bands, the precursor ceiling
// beside them) and the per-earthquake detection rates against magnitude, distance and Kp. Vega-Lite specs with the
// data inlined (saveFigure renders them; the titles say "(simulated data)" through saveFigure's mark).
import { VegaLiteSpec } from '../figures/render';
import type { ModelAuditFile } from './model-audit-types';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Class 1 vs 0 AUC of every model on the null run, per protocol, with 95 % intervals; chance at 0.5. */
export function nullAuditSpec(a: ModelAuditFile): VegaLiteSpec {
  const values = a.nullAudit.filter((e) => e.separation.auc).map((e) => ({
    model: e.model, protocol: e.protocol, auc: e.separation.auc!.estimate, lo: e.separation.auc!.lo, hi: e.separation.auc!.hi,
    verdict: e.separation.separable ? 'separable' : 'not separable',
  }));
  const models = [...new Set(values.map((v) => v.model))];
  if (!values.length) return missingSpec('Null run, DataSet 03: class 1 vs 0 AUC', 'no model could be trained and scored on the null run');
  return {
    $schema: SCHEMA,
    title: { text: 'Null run, DataSet 03: class 1 vs 0 AUC of each model', subtitle: 'nothing injected; 95% event-bootstrap intervals; grey rule: chance (0.5)' },
    data: { values },
    width: Math.max(240, 55 * models.length),
    height: 220,
    layer: [
      { mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0.5 } } },
      {
        mark: { type: 'errorbar', ticks: true },
        encoding: {
          x: { field: 'model', type: 'nominal', title: null, sort: models, axis: { labelAngle: 0 } },
          xOffset: { field: 'protocol', type: 'nominal', sort: ['paper', 'controlled'] },
          y: { field: 'lo', type: 'quantitative', title: 'AUC, class 1 vs 0', scale: { domain: [0, 1] } },
          y2: { field: 'hi' },
          color: { field: 'protocol', type: 'nominal', sort: ['paper', 'controlled'] },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'model', type: 'nominal', sort: models },
          xOffset: { field: 'protocol', type: 'nominal', sort: ['paper', 'controlled'] },
          y: { field: 'auc', type: 'quantitative' },
          color: { field: 'protocol', type: 'nominal', title: 'protocol', sort: ['paper', 'controlled'] },
          tooltip: [{ field: 'model' }, { field: 'protocol' }, { field: 'auc', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }, { field: 'verdict' }],
        },
      },
    ],
  };
}

/** Class-1 recall, AUC and MCC against the injected amplitude (interval bands), the precursor ceiling beside them. */
export function recoverySpec(a: ModelAuditFile): VegaLiteSpec {
  const r = a.recovery;
  if (!r || !r.points.length) return missingSpec('Injection recovery', skippedReason(a, 'recovery'));
  const values: Record<string, unknown>[] = [];
  for (const p of r?.points ?? []) {
    for (const [metric, iv] of [['class-1 recall', p.recall], ['AUC (1 vs 0)', p.auc], ['MCC (1 vs 0)', p.mcc], ['AUC, packet windows vs class 0', p.withPacket.auc]] as const) {
      if (iv) values.push({ kind: 'SafeNet', amplitude: p.amplitude, metric, value: iv.estimate, lo: iv.lo, hi: iv.hi });
    }
    if (p.ceiling.mcc !== null) values.push({ kind: 'ceiling', amplitude: p.amplitude, metric: 'MCC (1 vs 0)', value: p.ceiling.mcc });
    if (p.ceiling.recall !== null) values.push({ kind: 'ceiling', amplitude: p.amplitude, metric: 'class-1 recall', value: p.ceiling.recall });
  }
  const metrics = ['class-1 recall', 'AUC (1 vs 0)', 'AUC, packet windows vs class 0', 'MCC (1 vs 0)'];
  return {
    $schema: SCHEMA,
    title: {
      text: 'Injection recovery: SafeNet on DataSet 03 (controlled) against the injected amplitude',
      subtitle: "bands: 95% event-bootstrap intervals; dashed: precursor ceiling (a perfect packet detector); 0 = null run, 1 = signal run",
    },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics } },
    spec: {
      width: 170,
      height: 180,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'SafeNet'" }],
          mark: { type: 'area', opacity: 0.25, color: '#4c78a8', clip: true },
          encoding: {
            x: { field: 'amplitude', type: 'quantitative', title: 'amplitude (x simulator)' },
            y: { field: 'lo', type: 'quantitative', title: 'score', scale: { domain: [-0.4, 1] } },
            y2: { field: 'hi' },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'SafeNet'" }],
          mark: { type: 'line', point: true, color: '#4c78a8', clip: true },
          encoding: {
            x: { field: 'amplitude', type: 'quantitative' },
            y: { field: 'value', type: 'quantitative' },
            tooltip: [{ field: 'amplitude' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'ceiling'" }],
          mark: { type: 'line', color: '#e45756', strokeDash: [4, 3] },
          encoding: { x: { field: 'amplitude', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } },
        },
      ],
    },
  };
}

/** A figure that says in words why it has no data (the figure check refuses empty axes). */
export function missingSpec(title: string, why: string): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: 'not computed' },
    width: 520,
    height: 120,
    data: { values: [{ x: 0.5, y: 0.5, text: why.length > 90 ? `${why.slice(0, 87)}...` : why }] },
    mark: { type: 'text', fontSize: 13 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
      text: { field: 'text' },
    },
  };
}

function skippedReason(a: ModelAuditFile, part: string): string {
  return a.skipped.find((s) => s.part === part)?.reason ?? 'this part of the audit did not run';
}

/** Each earthquake's detection rate against magnitude, distance and Kp (points), with the bins' means and intervals. */
export function perEventSpec(a: ModelAuditFile): VegaLiteSpec {
  const pe = a.perEvent;
  const quakes = (pe?.events ?? []).filter((e) => e.label === 1);
  if (!quakes.length) return missingSpec('Per earthquake: detection rates', pe ? 'no earthquake among the test windows' : skippedReason(a, 'per-event'));
  const panel = (field: 'magnitude' | 'distanceKm' | 'kp', title: string): VegaLiteSpec => ({
    width: 200,
    height: 180,
    data: { values: quakes.map((e) => ({ x: e[field], rate: e.detectionRate, windows: e.windows, event: e.eventId })) },
    mark: { type: 'point', filled: true, opacity: 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title, scale: { zero: false } },
      y: { field: 'rate', type: 'quantitative', title: 'share of windows predicted class 1', scale: { domain: [0, 1] } },
      size: { field: 'windows', type: 'quantitative', title: 'windows', legend: { orient: 'bottom' } },
      tooltip: [{ field: 'event' }, { field: 'x', format: '.2f' }, { field: 'rate', format: '.2f' }, { field: 'windows' }],
    },
  });
  return {
    $schema: SCHEMA,
    title: { text: `Per earthquake: ${pe?.model ?? 'SafeNet'} on DataSet 03 (${pe?.protocol ?? 'paper'} protocol, test part)`, subtitle: 'each point one earthquake; size: its test windows' },
    hconcat: [panel('magnitude', 'magnitude'), panel('distanceKm', 'mean distance of its windows (km)'), panel('kp', 'mean Kp of its windows')],
    resolve: { scale: { size: 'shared' } },
  };
}
