// SafeNet's hyperparameter search space as data (paper section 3.2: TPE over SafeNet's "important parameters",
// Table S1, which could not be obtained): the sub-sequence split of the window among the divisors of its length,
// convolution layers, filters, kernel, activation, LSTM layers and units, dense layers and units, dropout, batch
// size, learning rate and the epoch cap (early stopping on the validation part decides the rest).
// 'paper': the values of the first author's public code for the sibling model (SeqNetQuake, github.com/PANXIONG-CN/SeqNetQuake);
// 'small': a subset that fits the default and smoke budgets on 2 CPU cores.
import { hp, Space } from '../tuning/space';
import { SAFENET_REFERENCE, SafeNetConfig, Activation } from '../models/safenet';
import { subsequenceSplits } from './tensors';
import { TrainHyper } from './train';

export type SpaceSize = 'paper' | 'small';

/**
 * Shortest sub-sequence allowed: 4 convolution layers of kernel 3 leave nLength - 8 samples and max pooling
 * needs 2, so nLength >= 10 keeps every point of the space buildable.
 */
export const MIN_SUBSEQUENCE = 10;

/** The search space for windows of T samples; epochCap bounds the epochs (the profile's budget). */
export function safenetSpace(T: number, size: SpaceSize, epochCap: number): Space {
  const splits = subsequenceSplits(T, MIN_SUBSEQUENCE).map(([nSteps, nLength]) => ({ nSteps, nLength }));
  if (splits.length === 0) throw new Error(`safenetSpace: window length ${T} has no split into sub-sequences of at least ${MIN_SUBSEQUENCE}`);
  const epochs = (list: number[]) => hp.choice([...new Set(list.map((e) => Math.min(e, epochCap)))]);
  if (size === 'paper') {
    return {
      split: hp.choice(splits),
      cnnLayers: hp.choice([2, 3, 4]),
      filters: hp.choice([2, 3, 4]),
      kernelSize: hp.choice([2, 3]),
      activation: hp.choice(['relu', 'tanh', 'sigmoid']),
      lstmLayers: hp.choice([1, 2, 3, 4, 5]),
      lstmUnits: hp.choice([64, 128, 256, 512]),
      fcLayers: hp.choice([2, 3, 4, 5, 6]),
      fcUnits: hp.choice([64, 128, 256, 512]),
      dropout: hp.choice([0.25, 0.5, 0.75]),
      batchSize: hp.choice([10, 20, 40, 60, 80, 100]),
      learningRate: hp.loguniform(Math.log(1e-4), Math.log(1e-2)),
      epochs: epochs([10, 50, 100]),
    };
  }
  return {
    split: hp.choice(splits),
    cnnLayers: hp.choice([1, 2]),
    filters: hp.choice([16, 32, 64]),
    kernelSize: hp.choice([2, 3]),
    activation: hp.choice(['relu', 'tanh']),
    lstmLayers: 1,
    lstmUnits: hp.choice([32, 64, 100]),
    fcLayers: hp.choice([1, 2]),
    fcUnits: hp.choice([32, 64, 100]),
    dropout: hp.choice([0.25, 0.5]),
    batchSize: hp.choice([32, 64, 128]),
    learningRate: hp.loguniform(Math.log(3e-4), Math.log(3e-3)),
    epochs: epochCap,
  };
}

/** What a point of the space materialises to. */
export interface SafeNetPoint {
  split: { nSteps: number; nLength: number };
  cnnLayers: number;
  filters: number;
  kernelSize: number;
  activation: string;
  lstmLayers: number;
  lstmUnits: number;
  fcLayers: number;
  fcUnits: number;
  dropout: number;
  batchSize: number;
  learningRate: number;
  epochs: number;
}

/** The training hyperparameters of a point (SafeNet is bidirectional, 3 classes, nFeatures channels). */
export function hyperOf(p: SafeNetPoint, nFeatures: number): TrainHyper {
  const net: SafeNetConfig = {
    ...SAFENET_REFERENCE,
    nSteps: p.split.nSteps, nLength: p.split.nLength, nFeatures,
    cnnLayers: p.cnnLayers, filters: p.filters, kernelSize: p.kernelSize, activation: p.activation as Activation,
    lstmLayers: p.lstmLayers, lstmUnits: p.lstmUnits, bidirectional: true,
    fcLayers: p.fcLayers, fcUnits: p.fcUnits, dropout: p.dropout, learningRate: p.learningRate,
  };
  return { net, batchSize: p.batchSize, epochs: p.epochs };
}
