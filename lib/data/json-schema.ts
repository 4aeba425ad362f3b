// A small JSON Schema validator for the subset of draft 2020-12 that data/data-manifest.schema.json uses
// (type, const, enum, required, properties, additionalProperties, items, min*, pattern, $ref to $defs, allOf,
// if/then/else, not). Unknown keywords are refused, so the schema cannot silently outgrow it. Serves the data
// manifest (issue 3; paper section 2 inputs).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = { [k: string]: Json } | boolean;

/** One violation: JSON pointer into the instance, and what is wrong. */
export interface SchemaError {
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', 'default', 'examples', '$comment']);
const SUPPORTED = new Set([
  'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'minLength',
  'minProperties', 'pattern', 'minimum', 'maximum', '$ref', 'allOf', 'if', 'then', 'else', 'not',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`json-schema: only local $ref are supported, got ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`json-schema: $ref ${ref} does not resolve`);
  }
  return node as Schema;
}

const ptr = (base: string, key: string | number) => `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Validate `value` against `schema`; returns every violation found (empty when valid). */
export function validate(value: unknown, schema: Schema, root: Schema = schema, path = ''): SchemaError[] {
  if (schema === true) return [];
  if (schema === false) return [{ path: path || '/', message: 'no value is allowed here' }];
  const errs: SchemaError[] = [];
  const here = path || '/';
  for (const k of Object.keys(schema)) {
    if (!SUPPORTED.has(k) && !ANNOTATIONS.has(k)) throw new Error(`json-schema: keyword '${k}' is not supported by lib/data/json-schema.ts`);
  }
  const s = schema as Record<string, Json>;
  if (s.$ref !== undefined) errs.push(...validate(value, resolveRef(root, s.$ref as string), root, path));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      errs.push({ path: here, message: `expected ${types.join(' or ')}, got ${typeOf(value)}` });
      return errs;
    }
  }
  if (s.const !== undefined && !deepEqual(value, s.const)) errs.push({ path: here, message: `must equal ${JSON.stringify(s.const)}` });
  if (s.enum !== undefined && !(s.enum as Json[]).some((e) => deepEqual(e, value))) {
    errs.push({ path: here, message: `must be one of ${(s.enum as Json[]).map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value)}` });
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && [...value].length < (s.minLength as number)) errs.push({ path: here, message: `shorter than ${s.minLength} characters` });
    if (s.pattern !== undefined && !new RegExp(s.pattern as string, 'u').test(value)) errs.push({ path: here, message: `does not match ${s.pattern}: ${JSON.stringify(value)}` });
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < (s.minimum as number)) errs.push({ path: here, message: `below the minimum ${s.minimum}` });
    if (s.maximum !== undefined && value > (s.maximum as number)) errs.push({ path: here, message: `above the maximum ${s.maximum}` });
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < (s.minItems as number)) errs.push({ path: here, message: `fewer than ${s.minItems} items` });
    if (s.items !== undefined) value.forEach((v, i) => errs.push(...validate(v, s.items as Schema, root, ptr(path, i))));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    if (s.minProperties !== undefined && Object.keys(obj).length < (s.minProperties as number)) errs.push({ path: here, message: `fewer than ${s.minProperties} properties` });
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) errs.push({ path: here, message: `missing required property '${r}'` });
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errs.push(...validate(v, props[k], root, ptr(path, k)));
      else if (s.additionalProperties === false) errs.push({ path: ptr(path, k), message: `property '${k}' is not allowed` });
      else if (s.additionalProperties !== undefined) errs.push(...validate(v, s.additionalProperties as Schema, root, ptr(path, k)));
    }
  }
  for (const sub of (s.allOf as Schema[] | undefined) ?? []) errs.push(...validate(value, sub, root, path));
  if (s.if !== undefined) {
    const ok = validate(value, s.if as Schema, root, path).length === 0;
    if (ok && s.then !== undefined) errs.push(...validate(value, s.then as Schema, root, path));
    if (!ok && s.else !== undefined) errs.push(...validate(value, s.else as Schema, root, path));
  }
  if (s.not !== undefined && validate(value, s.not as Schema, root, path).length === 0) {
    errs.push({ path: here, message: `must not match ${JSON.stringify(s.not)}` });
  }
  return errs;
}
