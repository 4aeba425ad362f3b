// The inputs of build/report.html (issue 15 item 5), read and checked: Table 2 of SafeNet and of the baselines
// (paper section 4), the model audit's summary, the shortcut audit, the environment, the reproduce summary and the
// datasets' manifests. Each file is validated against a schema of the fields the report shows; a malformed file
// fails with its path and the JSON pointer of the bad field. A missing file is `null` (the report says "not run").
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../core/paths';
import { Schema, validate } from '../data/json-schema';
import type { Table2Row } from '../experiments/table2';
import type { ShortcutRow, DatasetAudit } from '../audit/shortcuts';
import type { Environment } from '../core/environment';
import type { SummarySection } from '../audit/model-audit-types';
import type { ReproduceSummary } from '../notebooks/reproduce';

/** Where the report's inputs live, for a build folder and a figures folder (layout as lib/core/paths.ts has it). */
export interface ReportPaths {
  build: string;
  figures: string;
  results: string;
  notebooks: string;
  environment: string;
  datasets: string;
  store: (source: 'real' | 'simulated') => string;
  storeNull: string;
  summary: string;
  /** make data's download lock (real inputs: each fetched file's URL, bytes, sha256). */
  downloadLock: string;
  out: string;
}

/** The report's paths under `build` and `figures` (defaults: the package's, SAFENET_BUILD_DIR / SAFENET_FIGURES_DIR). */
export function reportPaths(build = paths.build, figures = paths.figures, downloadLock = paths.downloadLock): ReportPaths {
  const under = (p: string) => path.join(build, path.relative(paths.build, p));
  return {
    build, figures,
    results: under(paths.results),
    notebooks: under(paths.executedNotebooks),
    environment: under(paths.environment),
    datasets: under(paths.datasets),
    store: (s) => under(paths.store(s)),
    storeNull: under(paths.storeSimulatedNull),
    summary: path.join(build, 'reproduce-summary.json'),
    downloadLock,
    out: path.join(build, 'report.html'),
  };
}

/** Read and validate a JSON file; null when it does not exist. Errors name the file (relative to the build folder). */
export function readChecked<T>(file: string, schema: Schema, what: string, base?: string): T | null {
  if (!fs.existsSync(file)) return null;
  const name = base ? path.relative(base, file) : file;
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`report: ${name} (${what}) is not valid JSON: ${(e as Error).message}`);
  }
  const errs = validate(value, schema);
  if (errs.length) {
    const shown = errs.slice(0, 5).map((e) => `  ${e.path}: ${e.message}`).join('\n');
    throw new Error(`report: ${name} (${what}) is malformed:\n${shown}${errs.length > 5 ? `\n  ... ${errs.length - 5} more` : ''}`);
  }
  return value as T;
}

const num: Schema = { type: 'number' };
const numOrNull: Schema = { type: ['number', 'null'] };
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const cell: Schema = { type: 'object', required: ['ours', 'lo', 'hi', 'paper', 'diff'], properties: { ours: numOrNull, lo: numOrNull, hi: numOrNull, paper: numOrNull, diff: numOrNull } };

export const TABLE2_SCHEMA: Schema = {
  type: 'object',
  required: ['profile', 'rows'],
  properties: {
    profile: str,
    note: str,
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'dataset', 'datasetName', 'source', 'protocol', 'selection', 'testWindows', 'testEvents', 'cells'],
        properties: {
          method: str, dataset: int, datasetName: str, source: { enum: ['real', 'simulated'] }, protocol: str, selection: str,
          testWindows: int, testEvents: int, chosenTrial: int, trials: int, resultDir: str,
          cells: {
            type: 'object', required: ['mcc', 'f1', 'accuracy', 'auc0', 'auc1', 'auc2'],
            properties: { mcc: cell, f1: cell, accuracy: cell, auc0: cell, auc1: cell, auc2: cell },
          },
        },
      },
    },
    skipped: { type: 'array', items: { type: 'object', required: ['reason'], properties: { reason: str } } },
  },
};

export interface Table2File {
  profile: string;
  note?: string;
  rows: Table2Row[];
  skipped?: { spec: unknown; reason: string }[];
}

/** The model audit's summary (lib/audit/model-audit-types.ts, build/results/audit/model-audit.json): titled verdicts, sentences, rows. */
export type AuditSummaryItem = SummarySection;

export const MODEL_AUDIT_SCHEMA: Schema = {
  type: 'object',
  required: ['summary'],
  properties: {
    summary: {
      type: 'array',
      items: {
        type: 'object',
        required: ['title', 'sentences', 'rows'],
        properties: {
          title: str,
          sentences: { type: 'array', items: str },
          rows: { type: 'array', items: { type: 'object', additionalProperties: { type: ['string', 'number', 'null'] } } },
        },
      },
    },
  },
};

export const SHORTCUTS_SCHEMA: Schema = {
  type: 'object',
  required: ['profile', 'shortcuts', 'datasets', 'class1Kept'],
  properties: {
    profile: str,
    shortcuts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['dataset', 'protocol', 'run', 'features', 'classifier', 'mcc', 'lo', 'hi', 'containsZero', 'testWindows', 'testEvents'],
        properties: {
          dataset: int, protocol: str, run: { enum: ['signal', 'null'] }, features: str, classifier: str, mcc: num, lo: num, hi: num,
          containsZero: { type: 'boolean' }, trainWindows: int, testWindows: int, testEvents: int,
        },
      },
    },
    datasets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['dataset', 'protocol'],
        properties: {
          dataset: int, protocol: str,
          ceiling: { type: ['object', 'null'], properties: { testMcc: numOrNull, testWindows: int, packetShare: { type: 'array', items: numOrNull } } },
          band: {
            type: ['object', 'null'],
            properties: {
              all: { $ref: '#/$defs/band' },
              lowLatitude: { $ref: '#/$defs/band' },
            },
          },
        },
      },
    },
    class1Kept: {
      type: 'array',
      items: { type: 'object', required: ['dataset', 'paper', 'controlled', 'share'], properties: { dataset: int, paper: int, controlled: int, share: numOrNull } },
    },
  },
  $defs: {
    band: {
      type: 'object', required: ['auc', 'positives', 'negatives', 'events'],
      properties: {
        auc: { type: ['object', 'null'], required: ['estimate', 'lo', 'hi'], properties: { estimate: num, lo: num, hi: num } },
        positives: int, negatives: int, events: int,
      },
    },
  },
};

export interface ShortcutsFile {
  profile: string;
  period?: { from: string; to: string };
  shortcuts: ShortcutRow[];
  datasets: DatasetAudit[];
  class1Kept: { dataset: number; paper: number; controlled: number; share: number | null }[];
}

export const ENVIRONMENT_SCHEMA: Schema = {
  type: 'object',
  required: ['capturedAt', 'node', 'platform', 'backend', 'git', 'profile', 'seeds', 'packages'],
  properties: {
    capturedAt: str, notebook: { type: ['string', 'null'] }, node: str, platform: str, cpus: int, memoryGiB: num, backend: str,
    git: { type: 'object', required: ['commit', 'dirty'], properties: { commit: { type: ['string', 'null'] }, dirty: { type: ['boolean', 'null'] } } },
    profile: { type: 'object', required: ['name', 'from', 'to'], properties: { name: str, from: str, to: str } },
    seeds: { type: 'object', additionalProperties: { type: ['number', 'string'] } },
    packages: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
  },
};

export const SUMMARY_SCHEMA: Schema = {
  type: 'object',
  required: ['profile', 'seconds', 'notebooks', 'figures'],
  properties: {
    profile: str, seconds: num, startedAt: str,
    notebooks: { type: 'array', items: { type: 'object', required: ['notebook', 'ok', 'seconds'], properties: { notebook: str, ok: { type: 'boolean' }, seconds: num, cached: { type: 'boolean' } } } },
    figures: { type: 'array', items: { type: 'object', required: ['name', 'files'], properties: { name: str } } },
    steps: { type: 'array', items: { type: 'object', required: ['step', 'seconds'], properties: { step: str, seconds: num } } },
  },
};

/** The fields of a dataset's manifest.json (lib/datasets/cache.ts) the report shows. */
export const DATASET_MANIFEST_SCHEMA: Schema = {
  type: 'object',
  required: ['config', 'counts', 'hash'],
  properties: {
    config: { type: 'object', required: ['id', 'name'], properties: { id: int, name: str } },
    hash: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    builtAt: str,
    counts: {
      type: 'object', required: ['windows', 'bySplitClass', 'eventsBySplit'],
      properties: {
        windows: int,
        bySplitClass: { type: 'array', items: { type: 'array', items: int } },
        eventsBySplit: { type: 'array', items: int },
      },
    },
    events: { type: 'object', additionalProperties: { type: ['number', 'string', 'null', 'object', 'array'] } },
  },
};

export interface DatasetManifest {
  config: { id: number; name: string };
  hash: string;
  builtAt?: string;
  counts: { windows: number; bySplitClass: number[][]; eventsBySplit: number[] };
  events?: Record<string, unknown>;
}

export const CURRENT_POINTER_SCHEMA: Schema = { type: 'object', required: ['hash'], properties: { hash: { type: 'string', pattern: '^[0-9a-f]{16}$' } } };

export type { Environment, ReproduceSummary };
