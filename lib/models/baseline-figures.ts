// Figures 11 and 12 of the paper (section 4.6): Figure 11, the ROC of each class for SafeNet and the five baselines
// on one panel per class (AUC in the legend) with their MCC / F1 / accuracy bars (the layout of Figures 5-10,
// lib/experiments/figures.ts); Figure 12, the ternary probability diagrams of SafeNet's test predictions, one per
// true class (each window a point placed by its three class probabilities, coloured by the predicted class), and
// the confusion matrix with row percentages (recall) and column percentages (precision), as the paper's caption
// describes. Vega-Lite specs with their data inline.
import type { VegaLiteSpec } from '../figures/render';
import type { Metrics } from '../evaluation/metrics';
import { CLASS_NAMES, Labelled, rocAndBarsSpec } from '../experiments/figures';

/** Figure 11: SafeNet (when given) and the baselines, ROC per class and the metric bars. */
export function figure11Spec(items: Labelled[], datasetName = 'DataSet 03'): VegaLiteSpec {
  return rocAndBarsSpec(items, `Figure 11: SafeNet and the five baselines on ${datasetName}`,
    'ROC of each class one-vs-rest on the test part (AUC in the legends); MCC, micro F1 and accuracy');
}

/**
 * Ternary coordinates of class probabilities (p0, p1, p2): class 0's vertex at (0, 0), class 1's at (1, 0),
 * class 2's at (1/2, sqrt(3)/2); x = p1 + p2 / 2, y = p2 sqrt(3) / 2 (the probabilities renormalised first).
 */
export function ternaryXY(p0: number, p1: number, p2: number): [number, number] {
  const s = p0 + p1 + p2;
  if (!(s > 0) || ![p0, p1, p2].every((v) => v >= 0 && Number.isFinite(v))) throw new Error(`ternaryXY: probabilities must be non-negative with a positive sum, got ${p0}, ${p1}, ${p2}`);
  return [(p1 + p2 / 2) / s, ((p2 / s) * Math.sqrt(3)) / 2];
}

/** Confusion-matrix cells with the count, its share of the row (recall) and of the column (precision), in %. */
export function confusionCells(cm: number[][]): { true: number; predicted: number; count: number; rowPct: number | null; colPct: number | null }[] {
  const K = cm.length;
  const rowSum = cm.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: K }, (_, j) => cm.reduce((a, r) => a + r[j], 0));
  const out = [];
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      out.push({
        true: i, predicted: j, count: cm[i][j],
        rowPct: rowSum[i] > 0 ? (100 * cm[i][j]) / rowSum[i] : null,
        colPct: colSum[j] > 0 ? (100 * cm[i][j]) / colSum[j] : null,
      });
    }
  }
  return out;
}

const SHORT = ['0 non-seismic', '1 seismic', '2 Kp > 3'];

/**
 * Figure 12: (A-C) one ternary diagram per true class of the test windows' predicted probabilities (at most
 * maxPoints points per panel, taken at an even stride), (D) the confusion matrix with row and column percentages.
 */
export function figure12Spec(yTrue: ArrayLike<number>, proba: ArrayLike<number>, metrics: Metrics, opts: { title?: string; maxPoints?: number } = {}): VegaLiteSpec {
  const n = yTrue.length;
  if (proba.length !== 3 * n) throw new Error(`figure12Spec: ${proba.length} probabilities for ${n} windows (3 classes)`);
  const maxPoints = opts.maxPoints ?? 1500;
  const byClass: number[][] = [[], [], []];
  for (let i = 0; i < n; i++) byClass[yTrue[i]].push(i);
  const triangle = [[0, 0], [1, 0], [0.5, Math.sqrt(3) / 2], [0, 0]].map(([x, y], order) => ({ x, y, order }));
  const vertices = [
    { x: 0, y: -0.06, text: SHORT[0] }, { x: 1, y: -0.06, text: SHORT[1] }, { x: 0.5, y: Math.sqrt(3) / 2 + 0.05, text: SHORT[2] },
  ];
  const panels = [0, 1, 2].map((k) => {
    const rows = byClass[k];
    const stride = Math.max(1, Math.ceil(rows.length / maxPoints));
    const pts = [];
    for (let j = 0; j < rows.length; j += stride) {
      const i = rows[j];
      const [x, y] = ternaryXY(proba[3 * i], proba[3 * i + 1], proba[3 * i + 2]);
      let pred = 0;
      for (let c = 1; c < 3; c++) if (proba[3 * i + c] > proba[3 * i + pred]) pred = c;
      pts.push({ x, y, predicted: SHORT[pred] });
    }
    const axis = { domain: [-0.1, 1.1] };
    return {
      title: `(${'ABC'[k]}) true ${CLASS_NAMES[k]}: ${rows.length} windows${stride > 1 ? ` (1 in ${stride} shown)` : ''}`,
      width: 220, height: 200,
      layer: [
        { data: { values: triangle }, mark: { type: 'line', color: '#444' }, encoding: { x: { field: 'x', type: 'quantitative', scale: axis, axis: null }, y: { field: 'y', type: 'quantitative', scale: { domain: [-0.1, 1] }, axis: null }, order: { field: 'order' } } },
        { data: { values: vertices }, mark: { type: 'text', fontSize: 10 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'text' } } },
        {
          data: { values: pts },
          mark: { type: 'circle', size: 12, opacity: 0.5 },
          encoding: {
            x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' },
            color: { field: 'predicted', type: 'nominal', title: 'predicted class', scale: { domain: SHORT } },
          },
        },
      ],
    };
  });
  const cells = confusionCells(metrics.confusion_matrix).map((c) => ({
    true: SHORT[c.true], predicted: SHORT[c.predicted], count: c.count,
    label: `${c.count} | row ${c.rowPct === null ? '-' : c.rowPct.toFixed(1) + '%'} | col ${c.colPct === null ? '-' : c.colPct.toFixed(1) + '%'}`,
    rowPct: c.rowPct ?? 0,
  }));
  return {
    title: { text: opts.title ?? "Figure 12: SafeNet's test predictions", subtitle: 'ternary diagrams of the class probabilities per true class; confusion matrix (row % = recall, column % = precision)' },
    vconcat: [
      { hconcat: panels },
      {
        title: '(D) confusion matrix: count | row percentage | column percentage',
        width: 690, height: 200,
        data: { values: cells },
        encoding: {
          x: { field: 'predicted', type: 'nominal', title: 'predicted class', sort: SHORT, axis: { labelAngle: 0 } },
          y: { field: 'true', type: 'nominal', title: 'true class', sort: SHORT },
        },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'rowPct', type: 'quantitative', title: 'row %', scale: { domain: [0, 100], scheme: 'blues' } } } },
          { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label' }, color: { condition: { test: 'datum.rowPct > 60', value: 'white' }, value: 'black' } } },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}
