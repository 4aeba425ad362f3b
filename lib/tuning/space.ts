// Search spaces as plain data, with hyperopt's distributions (hp.choice, uniform, quniform, loguniform,
// qloguniform, randint) and nested choices for conditional spaces. Serves the hyperparameter search of paper
// section 3.2 (TPE, 100 evaluations), but knows nothing of the paper: any objective can use it.
//
// A space is any JSON-like value; an object with a `$hp` key is a distribution, everything else is a constant
// that is kept as it is. Each distribution is labelled by its path in the space: `lr`, `model[1].C` (option 1 of
// the choice `model`), `layers[0]` (element 0 of a plain array). Conventions are hyperopt's:
// - loguniform / qloguniform take low and high of log(value) (hp.loguniform('lr', log(1e-4), log(1e-2)));
// - randint(low, high) is an integer in [low, high) (hp.randint('n', low, high));
// - quantised values are round(x / q) * q with round half to even (numpy's round);
// - a choice's value in `vals` is the option's index, like hyperopt's trials' misc.vals.
import { createHash } from 'crypto';
import { Rng } from '../core/random';

export type Dist =
  | { $hp: 'choice'; options: SpaceNode[] }
  | { $hp: 'uniform'; low: number; high: number }
  | { $hp: 'quniform'; low: number; high: number; q: number }
  | { $hp: 'loguniform'; low: number; high: number }
  | { $hp: 'qloguniform'; low: number; high: number; q: number }
  | { $hp: 'randint'; low: number; high: number };

export type SpaceNode = Dist | number | string | boolean | null | SpaceNode[] | { [key: string]: SpaceNode };
export type Space = SpaceNode;

/** The values a search drew, by label (choice: option index), like hyperopt's misc.vals. */
export type Vals = Record<string, number>;

/** hyperopt's hp.* constructors, returning plain data. */
export const hp = {
  choice: (options: SpaceNode[]): Dist => ({ $hp: 'choice', options }),
  uniform: (low: number, high: number): Dist => ({ $hp: 'uniform', low, high }),
  quniform: (low: number, high: number, q: number): Dist => ({ $hp: 'quniform', low, high, q }),
  /** low and high are bounds of log(value), as in hyperopt. */
  loguniform: (low: number, high: number): Dist => ({ $hp: 'loguniform', low, high }),
  /** low and high are bounds of log(value), as in hyperopt. */
  qloguniform: (low: number, high: number, q: number): Dist => ({ $hp: 'qloguniform', low, high, q }),
  /** randint(upper): [0, upper); randint(low, upper): [low, upper). */
  randint: (lowOrUpper: number, upper?: number): Dist =>
    upper === undefined ? { $hp: 'randint', low: 0, high: lowOrUpper } : { $hp: 'randint', low: lowOrUpper, high: upper },
};

export function isDist(node: unknown): node is Dist {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && '$hp' in node;
}

const KINDS = new Set(['choice', 'uniform', 'quniform', 'loguniform', 'qloguniform', 'randint']);

/** Check every distribution of a space; the error names the label. Returns the labels in walk order. */
export function validateSpace(space: Space): string[] {
  const labels: string[] = [];
  const walk = (node: SpaceNode, path: string): void => {
    if (isDist(node)) {
      const d = node as Dist & Record<string, unknown>;
      const where = `search space: '${path || '(root)'}'`;
      if (!KINDS.has(d.$hp)) throw new Error(`${where}: unknown distribution '${String(d.$hp)}' (known: ${[...KINDS].join(', ')})`);
      labels.push(path);
      if (d.$hp === 'choice') {
        if (!Array.isArray(d.options) || d.options.length === 0) throw new Error(`${where}: choice needs a non-empty options array`);
        d.options.forEach((o, i) => walk(o, `${path}[${i}]`));
        return;
      }
      for (const k of ['low', 'high'] as const) if (typeof d[k] !== 'number' || !Number.isFinite(d[k])) throw new Error(`${where}: ${k} must be a finite number, got ${String(d[k])}`);
      if (!(d.low < d.high)) throw new Error(`${where}: low ${d.low} must be below high ${d.high}`);
      if (d.$hp === 'quniform' || d.$hp === 'qloguniform') {
        if (typeof d.q !== 'number' || !(d.q > 0)) throw new Error(`${where}: q must be a positive number, got ${String(d.q)}`);
      }
      if (d.$hp === 'randint' && (!Number.isInteger(d.low) || !Number.isInteger(d.high))) throw new Error(`${where}: randint bounds must be integers`);
      return;
    }
    if (Array.isArray(node)) node.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        if (k.includes('.') || k.includes('[')) throw new Error(`search space: key '${k}' under '${path || '(root)'}' may not contain '.' or '['`);
        walk(v, path ? `${path}.${k}` : k);
      }
    }
  };
  walk(space, '');
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw new Error(`search space: label '${dup}' appears twice`);
  return labels;
}

/**
 * Walk a space, asking `draw` for the value of every active distribution (a choice's chosen option is walked,
 * the others are not), and return the drawn vals and the materialised parameters. Walk order is depth-first in
 * key order, so a draw function that consumes an Rng is deterministic.
 */
export function walkSpace(space: Space, draw: (label: string, dist: Dist) => number): { vals: Vals; params: unknown } {
  const vals: Vals = {};
  const walk = (node: SpaceNode, path: string): unknown => {
    if (isDist(node)) {
      const v = draw(path, node);
      vals[path] = v;
      if (node.$hp === 'choice') {
        if (!Number.isInteger(v) || v < 0 || v >= node.options.length) throw new Error(`search space: '${path}': option index ${v} outside 0..${node.options.length - 1}`);
        return walk(node.options[v], `${path}[${v}]`);
      }
      return v;
    }
    if (Array.isArray(node)) return node.map((c, i) => walk(c, `${path}[${i}]`));
    if (typeof node === 'object' && node !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return node;
  };
  const params = walk(space, '');
  return { vals, params };
}

/** Parameters from stored vals (e.g. a trials file); an active label without a value is an error. */
export function materialize(space: Space, vals: Vals): unknown {
  return walkSpace(space, (label) => {
    if (!(label in vals)) throw new Error(`search space: no value for '${label}' in ${JSON.stringify(vals)}`);
    return vals[label];
  }).params;
}

/** numpy's round: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Quantise as hyperopt does: round(x / q) * q. */
export function quantize(x: number, q: number): number {
  return roundHalfEven(x / q) * q;
}

/** One draw from a distribution's prior (hyperopt's rand.suggest). */
export function samplePrior(dist: Dist, rng: Rng): number {
  switch (dist.$hp) {
    case 'choice':
      return rng.int(dist.options.length);
    case 'uniform':
      return rng.uniform(dist.low, dist.high);
    case 'quniform':
      return quantize(rng.uniform(dist.low, dist.high), dist.q);
    case 'loguniform':
      return Math.exp(rng.uniform(dist.low, dist.high));
    case 'qloguniform':
      return quantize(Math.exp(rng.uniform(dist.low, dist.high)), dist.q);
    case 'randint':
      return dist.low + rng.int(dist.high - dist.low);
  }
}

/** Content hash of a space (a trials file records it; resuming with another space is refused). */
export function spaceHash(space: Space): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = canon((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canon(space))).digest('hex');
}
