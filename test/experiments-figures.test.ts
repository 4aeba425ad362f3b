// Tests for lib/experiments/figures.ts: Figure 4's rows come from the built model (the reference configuration's
// 267,987 parameters, layer by layer, input first); ROC series carry their AUC and keep the curve's ends when
// thinned; figure groups follow the paper's Figures 5-10; the TPE trace's best-so-far never rises; every spec
// renders to SVG.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { selectBackend } from '../lib/backend/backend';
import { buildSafeNet, SAFENET_REFERENCE } from '../lib/models/safenet';
import { evaluate } from '../lib/evaluation/metrics';
import { renderSvg, withFont } from '../lib/figures/render';
import { checkFigureSpec, formatFigureProblem } from '../lib/figures/check';
import { architectureRows, architectureSpec, FIGURE_GROUPS, learningCurvesSpec, rocAndBarsSpec, rocValues, tpeTraceSpec } from '../lib/experiments/figures';
import { rngFor } from '../lib/core/random';

test('Figure 4 rows are the built model: 267,987 parameters, input first, softmax last', async () => {
  await selectBackend({ log: () => undefined });
  const model = buildSafeNet(SAFENET_REFERENCE, { seedLabel: 'fig4' });
  const rows = architectureRows(model);
  model.dispose();
  assert.is(rows.reduce((s, r) => s + r.params, 0), 267_987);
  assert.is(rows[0].outputShape, '[N, 7, 10, 4]');
  assert.is(rows[rows.length - 1].outputShape, '[N, 3]');
  assert.is(rows.find((r) => r.name === 'conv_1')!.params, 4 * 3 * 64 + 64);
  assert.is(rows.find((r) => r.name === 'output')!.params, 100 * 3 + 3);
  assert.match(await renderSvg(architectureSpec(rows)), /267,987 trainable parameters/);
  // the figure check of `make reproduce` (text inside the layer boxes is allowed: the boxes are translucent)
  assert.equal((await checkFigureSpec('fig04', { ...withFont(architectureSpec(rows)), usermeta: { simulated: false } })).map(formatFigureProblem), []);
});

test('ROC series name their AUC, thinning keeps both ends; groups as the paper; specs render', async () => {
  const r = rngFor('test', 'roc');
  const n = 3000;
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const p = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const raw = [r.uniform(), r.uniform(), r.uniform()];
    raw[y[i]] += 0.5;
    const s = raw[0] + raw[1] + raw[2];
    for (let k = 0; k < 3; k++) p[i * 3 + k] = raw[k] / s;
  }
  const m = evaluate(y, p, 3);
  const vals = rocValues([{ label: 'toy', metrics: m }], 50);
  for (let k = 0; k < 3; k++) {
    const pts = vals.filter((v) => v.series === `toy (AUC ${m.roc_auc_per_class[k]!.toFixed(3)})` && v.panel.startsWith(`class ${k}`));
    assert.ok(pts.length > 2 && pts.length <= 50, `class ${k}: ${pts.length} points`);
    assert.equal([pts[0].fpr, pts[0].tpr], [0, 0]);
    assert.equal([pts[pts.length - 1].fpr, pts[pts.length - 1].tpr], [1, 1]);
  }
  assert.equal(FIGURE_GROUPS.map((g) => g.figure), [5, 6, 7, 8, 9, 10]);
  assert.equal(FIGURE_GROUPS.find((g) => g.figure === 6)!.datasets.map((d) => d.id), [5, 4, 1, 3, 2]);
  assert.equal(FIGURE_GROUPS.find((g) => g.figure === 10)!.datasets.map((d) => d.id), [3, 14, 15, 16, 17]);
  const items = [{ label: 'toy A', metrics: m, history: [{ epoch: 1, trainLoss: 1, validationLoss: 0.9 }, { epoch: 2, trainLoss: 0.8, validationLoss: 0.85 }] }];
  assert.match(await renderSvg(rocAndBarsSpec(items, 'Figure 5 test', 'sub')), /AUC/);
  assert.match(await renderSvg(learningCurvesSpec(items)), /validation/);
});

test('TPE trace: best so far never rises; failed trials are left out', async () => {
  const t = (tid: number, loss: number | null) => ({ type: 'trial', tid, vals: {}, params: {}, seed: 1, status: loss === null ? 'fail' : 'ok', loss, result: {}, startedAt: '', seconds: 1, worker: 0 }) as any;
  const spec = tpeTraceSpec([{ algo: 'TPE', trials: [t(0, -0.3), t(1, -0.2), t(2, null), t(3, -0.5)] }, { algo: 'random', trials: [t(0, -0.1)] }], 'trace');
  const v = spec.data.values as { algo: string; trial: number; loss: number; best: number }[];
  assert.equal(v.filter((x) => x.algo === 'TPE').map((x) => x.best), [-0.3, -0.3, -0.5]);
  assert.equal(v.filter((x) => x.algo === 'TPE').map((x) => x.trial), [1, 2, 4]);
  assert.match(await renderSvg(spec), /trace/);
});

test.run();
