/**
 * JSON Schema (as OpenAI clients write tool parameters) → the OpenAPI-3.0 subset that Gemini's
 * `functionDeclarations[].parameters` accepts. Gemini parses the schema as a protobuf, so any
 * keyword outside its `Schema` message is a 400 ("Unknown name ... Cannot find field"); hence an
 * allow-list rather than a list of keys to strip.
 */
import {
  asJsonText,
  FORMATS,
  foldExclusiveBounds,
  GEMINI_TYPES,
  GeminiType,
  inferType,
  isNullSchema,
  isTypedBranch,
  isValidDefault,
  looksLikeObject,
  keywordsOf,
  NUMERIC_KEYS,
  resolvePointer,
  Schema,
} from './schema-keywords';
import { isRecord } from '../../json/is-record';
import { SchemaBudget } from './schema-budget';

export type { Schema } from './schema-keywords';

/** A recursive `$ref` is unrolled this many times before the rest is asked for as JSON text. */
const MAX_REF_REPEATS = 2;
const MAX_DEPTH = 32;
/** References inlined within one another (a chain of `$ref`s that only point on) before giving up. */
const MAX_REF_CHAIN = 32;

interface Expansion {
  schema: Schema | undefined;
  nodes: number;
  bytes: number;
}

interface Context {
  root: Schema;
  budget: SchemaBudget;
  /** The references being inlined, innermost last, as small ids. */
  refStack: number[];
  refIds: Map<string, number>;
  resolved: Map<string, unknown>;
  /**
   * A reference inlined again at the same depth under the same references expands to the same
   * schema: it is reused (and charged again, since it is sent again) instead of recomputed.
   */
  expansions: Map<string, Expansion>;
}

/**
 * Returns Gemini `parameters`, or undefined when the tool takes no arguments: Gemini rejects an
 * OBJECT without properties ("properties: should be non-empty for OBJECT type"), so a no-arg
 * tool must omit `parameters` altogether. Throws SchemaError for a malformed `$ref` and when the
 * expansion passes the budget, which the tools of one request share.
 */
export function sanitizeSchema(
  schema: unknown,
  budget: SchemaBudget = new SchemaBudget(),
): Schema | undefined {
  if (!isRecord(schema)) return undefined;
  const ctx: Context = {
    root: schema,
    budget,
    refStack: [],
    refIds: new Map(),
    resolved: new Map(),
    expansions: new Map(),
  };
  const cleaned = clean(schema, ctx, 0);
  const root = cleaned && flattenRootUnion(cleaned);
  if (!root || root.type !== 'object' || !hasProperties(root)) return undefined;
  const { nullable: _n, ...rest } = root;
  return rest;
}

function hasProperties(s: Schema): boolean {
  return isRecord(s.properties) && Object.keys(s.properties).length > 0;
}

function clean(input: unknown, ctx: Context, depth: number): Schema | undefined {
  if (input === false) return undefined;
  if (!isRecord(input)) return ctx.budget.chargeNode({ type: 'string' });
  if (depth > MAX_DEPTH) return ctx.budget.chargeNode(asJsonText(input.description));
  ctx.budget.charge(1);
  if (typeof input.$ref === 'string') return inlineRef(input, input.$ref, ctx, depth);
  let node = keywordsOf(input);
  if (Array.isArray(node.allOf)) node = mergeAllOf(node, ctx, 0);
  if (Array.isArray(node.type)) ctx.budget.charge(node.type.length);

  let nullable = node.nullable === true;
  let types = (Array.isArray(node.type) ? node.type : [node.type]).filter(
    (t): t is string => typeof t === 'string',
  );
  if (types.includes('null')) nullable = true;
  types = types.filter((t) => GEMINI_TYPES.has(t));

  const union = Array.isArray(node.anyOf)
    ? node.anyOf
    : Array.isArray(node.oneOf)
      ? node.oneOf
      : [];
  ctx.budget.charge(union.length);
  const branches = union.filter((b) => !isNullSchema(b));
  if (branches.length < union.length) nullable = true;
  const { anyOf: _a, oneOf: _o, ...rest } = node;
  // Branches without a type only add constraints to an outer type (`required` alternatives); Gemini cannot say that.
  if (branches.length > 0 && (types.length === 0 || branches.every(isTypedBranch))) {
    if (branches.length === 1) {
      const only = isRecord(branches[0]) ? branches[0] : {};
      return clean(
        { ...only, ...withoutType(rest), ...(nullable && { nullable: true }) },
        ctx,
        depth,
      );
    }
    const cleaned = branches.map((b) => clean(b, ctx, depth + 1)).filter(isRecord);
    return ctx.budget.chargeNode(unionOf(cleaned, rest, nullable));
  }
  if (types.length > 1) {
    return ctx.budget.chargeNode(
      unionOf(
        types.map((type) => ({ type })),
        rest,
        nullable,
      ),
    );
  }
  return cleanTyped(rest, types[0], nullable, ctx, depth);
}

function cleanTyped(
  node: Schema,
  declared: string | undefined,
  nullable: boolean,
  ctx: Context,
  depth: number,
): Schema | undefined {
  const out: Schema = {};
  const notes: string[] = [];
  let type = declared as GeminiType | undefined;

  const values = 'const' in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
  if (values) {
    ctx.budget.charge(values.length);
    if (values.includes(null)) nullable = true;
    const present = values.filter((v) => v !== null);
    type ??= inferType(present);
    if (type === 'string' && present.length > 0) {
      out.enum = present.map((v) => (typeof v === 'string' ? v : ctx.budget.json(v)));
    } else if (present.length > 0) {
      // Gemini answers 400 "enum: only allowed for STRING type"; the model still reads the description.
      notes.push(`Allowed values: ${present.map((v) => ctx.budget.json(v)).join(', ')}.`);
    }
  }
  type ??= looksLikeObject(node) ? 'object' : node.items !== undefined ? 'array' : undefined;
  // A schema that allows anything: text is the one value Gemini can always produce and it still validates.
  type ??= 'string';
  out.type = type;

  for (const key of ['title', 'description'] as const) {
    if (typeof node[key] === 'string') out[key] = node[key];
  }
  if (notes.length > 0) out.description = [out.description, ...notes].filter(Boolean).join(' ');
  if (nullable) out.nullable = true;
  if (typeof node.format === 'string' && FORMATS[type]?.includes(node.format)) {
    out.format = node.format;
  }
  for (const key of NUMERIC_KEYS[type] ?? []) {
    if (typeof node[key] === 'number') out[key] = node[key];
  }
  if (type === 'number' || type === 'integer') foldExclusiveBounds(node, out, type);
  if (type === 'string' && typeof node.pattern === 'string') out.pattern = node.pattern;

  if (type === 'array') {
    const items = Array.isArray(node.prefixItems) ? node.prefixItems : node.items;
    // Gemini rejects an ARRAY without items ("items: missing field").
    out.items = Array.isArray(items)
      ? (unionOf(items.map((i) => clean(i, ctx, depth + 1)).filter(isRecord), {}, false) ?? {
          type: 'string',
        })
      : (clean(items ?? {}, ctx, depth + 1) ?? { type: 'string' });
  }

  if (type === 'object') {
    const properties: Schema = {};
    for (const [name, sub] of Object.entries(isRecord(node.properties) ? node.properties : {})) {
      const cleaned = clean(sub, ctx, depth + 1);
      if (cleaned) properties[name] = cleaned;
    }
    // A free-form object (a record, `additionalProperties` only) cannot be described to Gemini,
    // which rejects an OBJECT without properties; the model is asked for the object as JSON text.
    if (Object.keys(properties).length === 0 && depth > 0) {
      return ctx.budget.chargeNode(asJsonText(out.description, nullable));
    }
    out.properties = properties;
    if (Array.isArray(node.required)) ctx.budget.charge(node.required.length);
    if (Array.isArray(node.propertyOrdering)) ctx.budget.charge(node.propertyOrdering.length);
    const required = (Array.isArray(node.required) ? node.required : []).filter(
      (r): r is string => typeof r === 'string' && r in properties,
    );
    if (required.length > 0) out.required = [...new Set(required)];
    if (Array.isArray(node.propertyOrdering)) {
      out.propertyOrdering = node.propertyOrdering.filter(
        (p) => typeof p === 'string' && p in properties,
      );
    }
  }

  if ('default' in node && isValidDefault(node.default, out)) {
    out.default = node.default;
    ctx.budget.chargeValue(node.default);
  }
  if ('example' in node) {
    out.example = node.example;
    ctx.budget.chargeValue(node.example);
  }
  return ctx.budget.chargeNode(out);
}

function inlineRef(node: Schema, ref: string, ctx: Context, depth: number): Schema | undefined {
  const { $ref: _ref, ...siblings } = keywordsOf(node);
  const target = resolve(ctx, ref);
  const id = refId(ctx, ref);
  const repeats = ctx.refStack.filter((r) => r === id).length;
  if (!isRecord(target) || repeats >= MAX_REF_REPEATS || ctx.refStack.length >= MAX_REF_CHAIN) {
    const description = siblings.description ?? (isRecord(target) ? target.description : undefined);
    return ctx.budget.chargeNode(asJsonText(description, siblings.nullable === true));
  }
  // With siblings the result is this node's own; without, any other use of the reference here shares it.
  const key =
    Object.keys(siblings).length === 0 ? `${depth}|${ctx.refStack.join(',')}|${id}` : undefined;
  const seen = key === undefined ? undefined : ctx.expansions.get(key);
  if (seen) {
    ctx.budget.charge(seen.nodes, seen.bytes);
    return seen.schema;
  }
  const before = { nodes: ctx.budget.nodes, bytes: ctx.budget.bytes };
  ctx.refStack.push(id);
  try {
    const schema = clean(keywordsOf(target, siblings), ctx, depth);
    if (key !== undefined) {
      ctx.expansions.set(key, {
        schema,
        nodes: ctx.budget.nodes - before.nodes,
        bytes: ctx.budget.bytes - before.bytes,
      });
    }
    return schema;
  } finally {
    ctx.refStack.pop();
  }
}

function refId(ctx: Context, ref: string): number {
  let id = ctx.refIds.get(ref);
  if (id === undefined) {
    id = ctx.refIds.size;
    ctx.refIds.set(ref, id);
  }
  return id;
}

function resolve(ctx: Context, ref: string): unknown {
  if (!ctx.resolved.has(ref)) ctx.resolved.set(ref, resolvePointer(ctx.root, ref));
  return ctx.resolved.get(ref);
}

/** Gemini has no `allOf`: members are merged, properties and `required` united. */
function mergeAllOf(
  node: Schema,
  ctx: Context,
  nesting: number,
  merging: ReadonlySet<string> = new Set(),
): Schema {
  const { allOf, ...rest } = node;
  let merged: Schema = {};
  const properties: Schema = {};
  const required: unknown[] = [];
  const members = [...(Array.isArray(allOf) ? allOf : []), rest];
  ctx.budget.charge(members.length);
  for (let member of members) {
    const refs = new Set(merging);
    for (let hops = 0; isRecord(member) && typeof member.$ref === 'string' && hops < 8; hops++) {
      const { $ref, ...siblings } = keywordsOf(member);
      // A schema that includes itself through allOf adds nothing the second time round.
      const target = refs.has($ref as string) ? undefined : resolve(ctx, $ref as string);
      refs.add($ref as string);
      member = isRecord(target) ? keywordsOf(target, siblings) : siblings;
    }
    if (!isRecord(member)) continue;
    member = keywordsOf(member);
    if (Array.isArray(member.allOf)) {
      member =
        nesting < MAX_DEPTH ? mergeAllOf(member, ctx, nesting + 1, refs) : withoutAllOf(member);
    }
    if (isRecord(member.properties)) {
      ctx.budget.charge(Object.keys(member.properties).length);
      Object.assign(properties, member.properties);
    }
    if (Array.isArray(member.required)) {
      ctx.budget.charge(member.required.length);
      required.push(...member.required);
    }
    merged = { ...merged, ...member };
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = required;
  return merged;
}

function withoutAllOf(s: Schema): Schema {
  const { allOf: _a, ...rest } = s;
  return rest;
}

function unionOf(branches: Schema[], annotations: Schema, nullable: boolean): Schema | undefined {
  const pick = (s: Schema) =>
    Object.fromEntries(
      ['title', 'description'].filter((k) => typeof s[k] === 'string').map((k) => [k, s[k]]),
    );
  if (branches.length === 0) return undefined;
  if (branches.length === 1) {
    return { ...branches[0], ...pick(annotations), ...(nullable && { nullable: true }) };
  }
  // A union of string literals (zod `z.union([z.literal(...)])`, MCP `anyOf` of `const`) is one enum.
  if (branches.every((b) => b.type === 'string' && Array.isArray(b.enum) && !b.nullable)) {
    const values = [...new Set(branches.flatMap((b) => b.enum as string[]))];
    return {
      type: 'string',
      enum: values,
      ...pick(annotations),
      ...(nullable && { nullable: true }),
    };
  }
  // Vertex rejects `default` and other siblings next to `any_of`; only annotations stay.
  return { anyOf: branches, ...pick(annotations), ...(nullable && { nullable: true }) };
}

/** With several object shapes at the root (a discriminated union), Gemini gets their union, none required. */
function flattenRootUnion(s: Schema): Schema {
  if (!Array.isArray(s.anyOf)) return s;
  const branches = s.anyOf.filter(isRecord);
  if (branches.length < 2 || !branches.every((b) => b.type === 'object' && hasProperties(b))) {
    return s;
  }
  const properties: Schema = {};
  for (const b of branches) {
    Object.assign(properties, { ...(b.properties as Schema), ...properties });
  }
  const required = branches
    .map((b) => (Array.isArray(b.required) ? (b.required as string[]) : []))
    .reduce((common, r) => common.filter((name) => r.includes(name)));
  const out: Schema = { type: 'object', properties };
  if (typeof s.description === 'string') out.description = s.description;
  if (required.length > 0) out.required = required;
  return out;
}

function withoutType(s: Schema): Schema {
  const { type: _t, ...rest } = s;
  return rest;
}
