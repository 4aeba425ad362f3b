// Figures of the experiments (paper section 4): Figure 4 (SafeNet's architecture drawn from the built model:
// layers, output shapes, parameters), Figure 5 (ROC per class and MCC/F1/accuracy bars on DataSet 03), Figures
// 6-10 (the same per group of datasets: window length, night/day, spatial window, magnitude, positive-to-negative
// ratio), learning curves (training and validation loss per epoch) and the TPE trace (loss per trial and best
// so far, TPE beside random search). Vega-Lite specs with their data inline; saved through lib/figures/render.
import * as tf from '@tensorflow/tfjs';
import type { VegaLiteSpec } from '../figures/render';
import type { TrialRecord } from '../tuning/trials';
import type { Metrics } from '../evaluation/metrics';
import { ExperimentResult } from './run';
import type { EpochRecord } from './train';

export const CLASS_NAMES = ['class 0 (non-seismic)', 'class 1 (seismic)', 'class 2 (Kp > 3)'];

export interface LayerRow {
  index: number;
  name: string;
  kind: string;
  outputShape: string;
  params: number;
}

/** The layers of a built model, input first: name, class, output shape (batch axis as N) and parameter count. */
export function architectureRows(model: tf.LayersModel): LayerRow[] {
  return model.layers.map((l, i) => {
    const shape = l.outputShape as (number | null)[] | (number | null)[][];
    const one = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
    return {
      index: i, name: l.name, kind: l.getClassName(),
      outputShape: `[${one.map((d) => (d === null ? 'N' : d)).join(', ')}]`, params: l.countParams(),
    };
  });
}

/** Figure 4: the layers drawn bottom-up as boxes with their output shapes and parameter counts. */
export function architectureSpec(rows: LayerRow[], title = 'Figure 4: SafeNet architecture, bottom-up (built model)'): VegaLiteSpec {
  const total = rows.reduce((s, r) => s + r.params, 0);
  const values = rows.map((r) => ({
    ...r, level: rows.length - 1 - r.index,
    label: `${r.name} (${r.kind})`, detail: `output ${r.outputShape}, ${r.params.toLocaleString('en-US')} parameters`,
  }));
  const y = { field: 'level', type: 'ordinal', axis: null, sort: 'ascending' };
  return {
    title: { text: title, subtitle: `${total.toLocaleString('en-US')} trainable parameters; data flow from the input window at the bottom to the softmax at the top` },
    width: 460,
    height: rows.length * 34,
    data: { values },
    layer: [
      // translucent boxes (fill opacity < 0.5) so that the layer names inside them read as labels of a band
      { mark: { type: 'bar', color: '#9ecae1', fillOpacity: 0.4, stroke: '#4c78a8', strokeOpacity: 1, height: 26 }, encoding: { y, x: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, axis: null }, x2: { datum: 1 } } },
      { mark: { type: 'text', dy: -6, fontWeight: 'bold' }, encoding: { y, x: { datum: 0.5, type: 'quantitative' }, text: { field: 'label' } } },
      { mark: { type: 'text', dy: 7, fontSize: 10 }, encoding: { y, x: { datum: 0.5, type: 'quantitative' }, text: { field: 'detail' } } },
    ],
  };
}

/** Evenly spaced points of a curve (both ends kept), at most max of them. */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (max - 1))]);
  return out;
}

/** One curve set of a figure: a legend label, test metrics and (for learning curves) the epochs. */
export interface Labelled {
  label: string;
  metrics: Metrics;
  history?: EpochRecord[];
}

/** ROC points of each result and class, the series named with its AUC (for the legends). */
export function rocValues(items: Labelled[], maxPoints = 250) {
  const out: { panel: string; series: string; order: number; fpr: number; tpr: number }[] = [];
  items.forEach((it, order) => {
    const m = it.metrics;
    for (let k = 0; k < 3; k++) {
      const c = m.roc_curve_per_class[k];
      const auc = m.roc_auc_per_class[k];
      if (!c) continue;
      const pts = thin(c.fpr.map((f, i) => [f, c.tpr[i]] as [number, number]), maxPoints);
      for (const [fpr, tpr] of pts) out.push({ panel: CLASS_NAMES[k], series: `${it.label} (AUC ${auc === null ? '-' : auc.toFixed(3)})`, order, fpr, tpr });
    }
  });
  return out;
}

/** Figures 5-10: one ROC panel per class (AUC in each legend) and bars of MCC, F1 and accuracy per dataset. */
export function rocAndBarsSpec(items: Labelled[], title: string, subtitle: string): VegaLiteSpec {
  if (items.length === 0) return notBuiltSpec(title, subtitle);
  const roc = rocValues(items);
  const panels = CLASS_NAMES.map((panel, k) => ({
    title: `(${'ABC'[k]}) ROC, ${panel}`,
    width: 220,
    height: 220,
    layer: [
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: roc.filter((r) => r.panel === panel) },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
          color: { field: 'series', type: 'nominal', title: null, sort: { field: 'order' }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 260 } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  }));
  const bars = items.flatMap((it, order) => {
    const m = it.metrics;
    return [['MCC', m.mcc], ['F1', m.f1_micro], ['accuracy', m.accuracy]].map(([metric, value]) => ({ dataset: it.label, order, metric, value }));
  });
  return {
    title: { text: title, subtitle },
    vconcat: [
      { hconcat: panels, resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } } },
      {
        title: '(D) MCC, F1 (micro) and accuracy on the test part',
        width: 560, height: 180,
        data: { values: bars },
        mark: 'bar',
        encoding: {
          x: { field: 'metric', type: 'nominal', title: null, sort: ['MCC', 'F1', 'accuracy'], axis: { labelAngle: 0 } },
          xOffset: { field: 'dataset', type: 'nominal', sort: { field: 'order' } },
          y: { field: 'value', type: 'quantitative', title: 'score', scale: { domain: [Math.min(0, ...bars.map((b) => b.value as number)), 1] } },
          color: { field: 'dataset', type: 'nominal', title: null, sort: { field: 'order' } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}

/** A figure whose datasets the profile does not build: says so (the smoke profile builds DataSet 03 only). */
export function notBuiltSpec(title: string, subtitle: string): VegaLiteSpec {
  return {
    title: { text: title, subtitle },
    width: 520, height: 120,
    data: { values: [{ x: 0.5, y: 0.5, text: "none of this figure's datasets is built by this profile" }] },
    mark: { type: 'text', fontSize: 14 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
      text: { field: 'text' },
    },
  };
}

/** The paper's figure groups (section 4.1-4.5) as dataset ids with the labels of their legends. */
export const FIGURE_GROUPS: { figure: number; name: string; title: string; datasets: { id: number; label: string }[] }[] = [
  { figure: 5, name: 'fig05-safenet-ds03', title: 'Figure 5: SafeNet on DataSet 03', datasets: [{ id: 3, label: 'DataSet 03' }] },
  {
    figure: 6, name: 'fig06-window-length', title: 'Figure 6: window length h',
    datasets: [{ id: 5, label: 'h(40) DataSet 05' }, { id: 4, label: 'h(50) DataSet 04' }, { id: 1, label: 'h(60) DataSet 01' }, { id: 3, label: 'h(70) DataSet 03' }, { id: 2, label: 'h(80) DataSet 02' }],
  },
  { figure: 7, name: 'fig07-night-day', title: 'Figure 7: nighttime vs daytime', datasets: [{ id: 3, label: 'night DataSet 03' }, { id: 6, label: 'day DataSet 06' }] },
  {
    figure: 8, name: 'fig08-spatial-window', title: 'Figure 8: spatial window',
    datasets: [{ id: 7, label: '3 deg DataSet 07' }, { id: 3, label: 'Dobrovolsky DataSet 03' }, { id: 8, label: '5 deg DataSet 08' }, { id: 9, label: '7 deg DataSet 09' }, { id: 10, label: '10 deg DataSet 10' }],
  },
  {
    figure: 9, name: 'fig09-magnitude', title: 'Figure 9: earthquake magnitude',
    datasets: [{ id: 11, label: 'M4.8-5.2 DataSet 11' }, { id: 12, label: 'M5.2-5.8 DataSet 12' }, { id: 13, label: 'M5.8-7.5 DataSet 13' }],
  },
  {
    figure: 10, name: 'fig10-ratio', title: 'Figure 10: positive-to-negative ratio',
    datasets: [{ id: 3, label: '1:1 DataSet 03' }, { id: 14, label: '1:2 DataSet 14' }, { id: 15, label: '1:3 DataSet 15' }, { id: 16, label: '1:4 DataSet 16' }, { id: 17, label: '1:5 DataSet 17' }],
  },
];

/** The paper-protocol results of a figure group that exist (a profile may build only some datasets). */
export function groupItems(results: ExperimentResult[], group: (typeof FIGURE_GROUPS)[number]): Labelled[] {
  return group.datasets.flatMap((d) => {
    const r = results.find((x) => x.spec.datasetId === d.id && x.spec.protocol === 'paper' && x.spec.selection === 'validation');
    return r ? [{ label: d.label, metrics: r.metrics.test, history: r.config.history }] : [];
  });
}

/** Learning curves: training and validation loss per epoch of each result's chosen trial (one panel each). */
export function learningCurvesSpec(items: Labelled[], title = 'Learning curves of the chosen models'): VegaLiteSpec {
  const values = items.flatMap((it) => (it.history ?? []).flatMap((h) => [
    { dataset: it.label, epoch: h.epoch, part: 'training', loss: h.trainLoss },
    ...(h.validationLoss === null ? [] : [{ dataset: it.label, epoch: h.epoch, part: 'validation', loss: h.validationLoss }]),
  ]));
  return {
    title: { text: title, subtitle: ['class-weighted cross-entropy per epoch;', 'the kept epoch has the lowest validation loss (early stopping)'] },
    data: { values },
    facet: { field: 'dataset', type: 'nominal', title: null, sort: items.map((i) => i.label) },
    columns: Math.min(items.length, 6),
    spec: {
      width: 150, height: 110,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'loss', type: 'quantitative', scale: { zero: false } },
        color: { field: 'part', type: 'nominal', title: null },
      },
    },
  };
}

/** TPE trace: loss of each trial and the best so far, for each search given (e.g. TPE and random search). */
export function tpeTraceSpec(searches: { algo: string; trials: TrialRecord[] }[], title: string): VegaLiteSpec {
  const values = searches.flatMap((s) => {
    let best: number | null = null;
    return [...s.trials].sort((a, b) => a.tid - b.tid).flatMap((t) => {
      if (t.status !== 'ok' || t.loss === null) return [];
      best = best === null ? t.loss : Math.min(best, t.loss);
      return [{ algo: s.algo, trial: t.tid + 1, loss: t.loss, best }];
    });
  });
  const trialAxis = { field: 'trial', type: 'quantitative', title: 'trial', scale: { domainMin: 1, nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  return {
    title: { text: title, subtitle: 'loss = -F1 (macro) on the validation part; points: each trial, line: best so far' },
    width: 480, height: 260,
    data: { values },
    layer: [
      { mark: { type: 'point', filled: true, opacity: 0.6 }, encoding: { x: trialAxis, y: { field: 'loss', type: 'quantitative', scale: { zero: false } }, color: { field: 'algo', type: 'nominal', title: 'search' } } },
      { mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: trialAxis, y: { field: 'best', type: 'quantitative' }, color: { field: 'algo', type: 'nominal' } } },
    ],
  };
}
