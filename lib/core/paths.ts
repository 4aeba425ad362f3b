// The one module that knows where things live: inputs (shipped data, fixtures), generated outputs (build/,
// figures/) and the Jupyter set-up. Every other module asks here (showyourwork's rule: one paths module).
import * as path from 'path';

/** Repository root: this file lives in lib/core/. */
export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Generated outputs live in build/ and figures/ of the repository unless SAFENET_BUILD_DIR / SAFENET_FIGURES_DIR
 * name other folders (several checkouts or developers sharing one working tree keep their outputs apart).
 */
const BUILD = process.env.SAFENET_BUILD_DIR ? path.resolve(process.env.SAFENET_BUILD_DIR) : path.join(ROOT, 'build');
const FIGURES = process.env.SAFENET_FIGURES_DIR ? path.resolve(process.env.SAFENET_FIGURES_DIR) : path.join(ROOT, 'figures');

export const paths = {
  root: ROOT,
  /** Real third-party data shipped with the package (see data-manifest.json). */
  data: path.join(ROOT, 'data'),
  catalogDir: path.join(ROOT, 'data', 'catalog'),
  indicesDir: path.join(ROOT, 'data', 'indices'),
  /** ComCat M>=5.0 2013-2023 (the shipped main catalog). */
  catalogM50: path.join(ROOT, 'data', 'catalog', 'usgs-comcat-m5.0-2013-2023.csv'),
  /** ComCat M>=4.5 2019-12..2020-12. */
  catalogM45: path.join(ROOT, 'data', 'catalog', 'usgs-comcat-m4.5-2019-12-2020-12.csv'),
  kp3hourly: path.join(ROOT, 'data', 'indices', 'gfz-kp-3hourly-2006-2022.csv'),
  apDaily: path.join(ROOT, 'data', 'indices', 'gfz-ap-daily-2006-2022.csv'),
  dstHourly: path.join(ROOT, 'data', 'indices', 'wdc-kyoto-dst-hourly-2006-2022.dat'),
  kpOfficialExcerpt: path.join(ROOT, 'data', 'indices', 'gfz-Kp_ap_Ap_SN_F107-excerpt-2016-01-30_2016-05-07.txt'),
  /** IGRF-13 Gauss coefficients 2010-2025 (simulator main field; provenance in the file header). */
  igrf13: path.join(ROOT, 'data', 'mainfield', 'igrf13-coeffs-2010-2025.txt'),
  manifest: path.join(ROOT, 'data-manifest.json'),
  manifestSchema: path.join(ROOT, 'data', 'data-manifest.schema.json'),
  /** Downloads made by `make data` (not in git); the lock file records what was fetched. */
  downloads: path.join(ROOT, 'data', 'downloaded'),
  downloadLock: path.join(ROOT, 'data', 'downloaded', 'download-lock.json'),
  fixtures: path.join(ROOT, 'test', 'fixtures'),
  /** Everything generated (not in git). */
  build: BUILD,
  /** Swarm store: one Arrow IPC file per satellite per day, per source ('real' or 'simulated'). */
  store: (source: 'real' | 'simulated') => path.join(BUILD, 'store', source),
  /** Null simulation (nothing injected; leakage audit): same layout as store('simulated'). */
  storeSimulatedNull: path.join(BUILD, 'store', 'simulated-null'),
  datasets: path.join(BUILD, 'datasets'),
  models: path.join(BUILD, 'models'),
  results: path.join(BUILD, 'results'),
  executedNotebooks: path.join(BUILD, 'notebooks'),
  environment: path.join(BUILD, 'environment.json'),
  notebooks: path.join(ROOT, 'notebooks'),
  figures: FIGURES,
  jupyterPath: path.join(BUILD, 'jupyter'),
  sharedDir: path.join(ROOT, '..', 'shared'),
};

/** Path relative to the repository root, for messages and manifests. */
export function rel(p: string): string {
  return path.relative(ROOT, p) || '.';
}
