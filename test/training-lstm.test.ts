// Tests for lib/models/fused_lstm.ts: the fused (bidirectional) LSTM computes the same outputs and the same
// gradients as tf.layers.lstm / tf.layers.bidirectional with the same weights, one and two layers, on cpu and wasm.
import { relErr } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { SAFENET_REFERENCE, SafeNetConfig, buildSafeNet } from '../lib/models/safenet';
import { rngFor } from '../lib/core/random';

const prevBackend: string = tf.getBackend() ?? 'cpu';

function randn(shape: number[], label: string): tf.Tensor {
  const r = rngFor('test', 'lstm', label);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()), shape);
}


const CONFIGS: [string, SafeNetConfig][] = [
  ['reference (BiLSTM 100)', SAFENET_REFERENCE],
  ['two BiLSTM layers (return sequences)', { ...SAFENET_REFERENCE, filters: 8, lstmLayers: 2, lstmUnits: 6, fcUnits: 8 }],
  ['two unidirectional layers', { ...SAFENET_REFERENCE, filters: 8, lstmLayers: 2, lstmUnits: 5, bidirectional: false, fcUnits: 8 }],
];

for (const backend of ['cpu', 'wasm'] as const) {
  for (const [name, cfg] of CONFIGS) {
    test(`${backend}: fused LSTM = tf.layers LSTM (outputs and gradients): ${name}`, async () => {
      await selectBackend({ backend, log: () => undefined });
      const fused = buildSafeNet(cfg, { lstmImpl: 'fused', compile: false, seedLabel: 'eq' });
      const layers = buildSafeNet(cfg, { lstmImpl: 'layers', compile: false, seedLabel: 'other' });
      assert.equal(fused.weights.map((w) => w.shape), layers.weights.map((w) => w.shape));
      layers.setWeights(fused.getWeights());
      const x = randn([8, cfg.nSteps, cfg.nLength, cfg.nFeatures], 'x' + name);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 1, 0], 'int32'), 3);
      const pa = (fused.predict(x) as tf.Tensor).dataSync();
      const pb = (layers.predict(x) as tf.Tensor).dataSync();
      assert.ok(relErr(pa, pb) < 1e-5, `predictions differ: ${relErr(pa, pb)}`);
      const grads = (m: tf.LayersModel) =>
        tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: false }) as tf.Tensor) as tf.Scalar,
          m.trainableWeights.map((w) => (w as any).val as tf.Variable));
      const ga = grads(fused);
      const gb = grads(layers);
      const va = fused.trainableWeights.map((w) => (w as any).val.name as string);
      const vb = layers.trainableWeights.map((w) => (w as any).val.name as string);
      for (let i = 0; i < va.length; i++) {
        const e = relErr(ga.grads[va[i]].dataSync(), gb.grads[vb[i]].dataSync());
        assert.ok(e < 1e-4, `gradient of ${va[i]}: relative difference ${e}`);
      }
      tf.dispose([x, y, ga.value, gb.value, ...Object.values(ga.grads), ...Object.values(gb.grads)]);
      fused.dispose();
      layers.dispose();
    });
  }
}

test.after(async () => {
  await tf.setBackend(prevBackend);
});

test.run();
