// Figures and tables of the overview notebook (00): the paper's pipeline as a table (which notebook and lib
// stage serve which section) and the Dobrovolsky radius against magnitude with the paper's magnitude bins.
import * as fs from 'fs';
import * as path from 'path';
import { dobrovolskyRadiusKm, PAPER_MAGNITUDE_BINS } from '../catalog/dobrovolsky';
import { PROFILES } from '../core/config';
import { paths } from '../core/paths';
import type { VegaLiteSpec } from './render';

export interface PipelineStage {
  step: number;
  stage: string;
  paper: string;
  lib: string;
  notebook: string;
}

/** The paper's pipeline, stage by stage, with where this package implements and shows it. */
export const PIPELINE: PipelineStage[] = [
  { step: 1, stage: 'Inputs: Swarm A MAG LR 1B (B_NEC, 1 Hz) and EFI LP (Ne), USGS catalog, Kp, Dst', paper: '2.3', lib: 'lib/swarm, lib/catalog, lib/indices, lib/download, lib/data', notebook: '01-data' },
  { step: 2, stage: 'Embedded default: simulated Swarm A tracks with known injected signals', paper: '(ours)', lib: 'lib/simulation', notebook: '02-simulator' },
  { step: 3, stage: 'Catalog declustering, artificial non-seismic events, windows, labels, splits, Table 1', paper: '2.3, 3.1, Fig. 3, Table 1', lib: 'lib/catalog, lib/datasets', notebook: '03-datasets' },
  { step: 4, stage: 'Case studies: MASS and NeLOG on the Sumatra and Ecuador 2016 tracks', paper: '2.2, Figs. 1-2', lib: 'lib/casestudy', notebook: '04-case-studies' },
  { step: 5, stage: 'SafeNet CNN + BiLSTM model and its training backends', paper: '3.2, Fig. 4', lib: 'lib/models, lib/training, lib/backend', notebook: '05-safenet' },
  { step: 6, stage: 'Experiments on the 17 datasets: TPE search, MCC, F1, ROC/AUC, Table 2', paper: '3.3, 4, Table 2, Figs. 5-9', lib: 'lib/experiments, lib/evaluation, lib/tuning', notebook: '06-experiments' },
  { step: 7, stage: 'Baselines: GBM, DNN, RF, CNN, LSTM', paper: '4, Table 2', lib: 'lib/models', notebook: '07-baselines' },
  { step: 8, stage: 'Model audit: null run, injection recovery, protocol optimism, per-earthquake view', paper: '4, Table 2 (ours)', lib: 'lib/audit', notebook: '08-audit' },
];

/** The pipeline as table rows; a notebook not in this checkout says so instead of pointing nowhere. */
export function pipelineRows(dir = paths.notebooks): Record<string, string | number>[] {
  return PIPELINE.map((s) => ({
    step: s.step, stage: s.stage, 'paper section': s.paper, lib: s.lib,
    notebook: fs.existsSync(path.join(dir, `${s.notebook}.ipynb`)) ? `notebooks/${s.notebook}.ipynb` : `${s.notebook} (not in this checkout yet)`,
  }));
}

/** The run profiles (lib/core/config.ts) as table rows. */
export function profileRows(): Record<string, string | number>[] {
  return Object.values(PROFILES).map((p) => ({
    profile: p.name, from: p.from, to: p.to, 'max events': p.maxEvents ?? 'all', datasets: p.datasets.length,
    epochs: p.training.epochs, 'TPE evaluations': p.training.tpeEvaluations, description: p.description,
  }));
}

/** Dobrovolsky radius 4.5..8 with the paper's magnitude bins shaded and labelled with their event counts. */
export function dobrovolskySpec(): VegaLiteSpec {
  const curve: { magnitude: number; radiusKm: number }[] = [];
  for (let m = 4.5; m <= 8.0001; m += 0.05) curve.push({ magnitude: +m.toFixed(2), radiusKm: dobrovolskyRadiusKm(m) });
  const bins = PAPER_MAGNITUDE_BINS.map((b) => ({
    ...b,
    mid: (b.min + b.max) / 2,
    text: `DataSet ${b.dataset}: M ${b.label}, ${b.paperEvents.toLocaleString('en-US')} events`,
  }));
  const marks = [4.8, 6, 7, 7.8].map((m) => ({ magnitude: m, radiusKm: dobrovolskyRadiusKm(m), label: `M${m}: ${Math.round(dobrovolskyRadiusKm(m)).toLocaleString('en-US')} km` }));
  return {
    title: { text: 'Dobrovolsky preparation radius R = 10^(0.43 M) km', subtitle: "with the paper's magnitude bins and their event counts (Table 1, DataSets 11-13)" },
    width: 560,
    height: 320,
    layer: [
      {
        data: { values: bins },
        mark: { type: 'rect', opacity: 0.18 },
        encoding: {
          x: { field: 'min', type: 'quantitative', scale: { domain: [4.5, 8.5], zero: false } },
          x2: { field: 'max' },
          color: { field: 'text', type: 'nominal', title: "The paper's magnitude bins (events)", scale: { scheme: 'tableau10' }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, titleLimit: 0 } },
        },
      },
      {
        data: { values: curve },
        mark: { type: 'line', color: '#222' },
        encoding: {
          x: { field: 'magnitude', type: 'quantitative', title: 'Magnitude M', scale: { domain: [4.5, 8.5] } },
          y: { field: 'radiusKm', type: 'quantitative', title: 'Preparation radius (km)', scale: { type: 'log', domain: [50, 5000] } },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'point', filled: true, color: '#222' },
        encoding: { x: { field: 'magnitude', type: 'quantitative' }, y: { field: 'radiusKm', type: 'quantitative' } },
      },
      {
        data: { values: marks },
        // below and right of each point: the curve rises to the right, so the label sits clear of it and of the axes
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 8, dy: 6, fontSize: 10 },
        encoding: { x: { field: 'magnitude', type: 'quantitative' }, y: { field: 'radiusKm', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}
