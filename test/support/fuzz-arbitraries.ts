import fc from 'fast-check';

/*
 * Generators shared by the request fuzzers: odd strings, deep values, JSON schemas with `$ref`
 * cycles and doubling chains, and mutations that put wrong types, odd values, missing fields or
 * extra nesting anywhere in a valid body.
 */

/**
 * Nesting the generator reaches. Thousands of levels still overflow the stack in class-transformer
 * (the /v1 validation pipe) and in the dispatcher's JSON.stringify (native bodies), a 500; the JSON
 * depth limit at parse time, a separate change, is what answers those with a 400.
 */
const MAX_NESTING = 400;

export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066rtl',
  '%E0',
  '%25E0',
  '#/%E0',
  '#/$defs/%',
  '__proto__',
  'constructor',
  '{"a":',
  '../../etc/passwd',
  'data:image/png;base64,%%%',
  'data:,%E0',
  'http://127.0.0.1:1/a.png',
  'https://[::1]/a.png',
  'file:///etc/passwd',
  '🚀'.repeat(64),
  'x'.repeat(20_000),
];

export const oddString = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ maxLength: 24, unit: 'binary' }),
  fc.string({ maxLength: 24 }),
);

export function nest(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export const deepValue = fc
  .tuple(fc.integer({ min: 1, max: MAX_NESTING }), fc.constantFrom('array', 'object' as const))
  .map(([depth, kind]) => nest(depth, kind));

/** `levels` definitions, each holding two references to the next: 2^levels leaves once inlined. */
export function doublingChain(levels: number): Record<string, unknown> {
  const $defs: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) {
    const next = { $ref: `#/$defs/d${i + 1}` };
    $defs[`d${i}`] = { type: 'object', properties: { a: next, b: next } };
  }
  $defs[`d${levels}`] = { type: 'string' };
  return { type: 'object', $defs, properties: { root: { $ref: '#/$defs/d0' } } };
}

export const ref = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('#/$defs/A', '#/properties/x', '#/$defs/A/properties/self'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '#/$defs/Missing',
      '#/%E0',
      '#/$defs/%ZZ',
      '#',
      'https://example.com/s.json',
    ),
  },
);

export const schema: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: 4 },
    fc.record(
      {
        type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'null', ['string', 'null']),
        description: fc.string({ maxLength: 12 }),
        enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        default: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 3 }),
        required: fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }),
        additionalProperties: fc.boolean(),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('array'), items: tie('node') }),
    fc.record({ $ref: ref, description: fc.string({ maxLength: 8 }) }, { requiredKeys: ['$ref'] }),
    fc.record({ anyOf: fc.array(tie('node'), { maxLength: 3 }) }),
    fc.record({ allOf: fc.array(fc.oneof(tie('node'), fc.constant({ $ref: '#/$defs/A' }))) }),
    fc.integer({ min: 1, max: 20 }).map(doublingChain),
  ),
})).node;

export const toolSchema = fc.tuple(schema, schema).map(([root, a]) => ({
  type: 'object',
  $defs: { A: { ...(a as object), properties: { self: { $ref: '#/$defs/A' } } } },
  properties: { x: root },
}));

export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, 2 ** 53 + 1, 0.1, [], {}),
  fc.double(),
  deepValue,
  fc.jsonValue({ maxDepth: 3 }),
  toolSchema,
);

export interface Mutation {
  at: number;
  op: 'replace' | 'delete' | 'wrap';
  value: unknown;
}

export const mutations = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'delete', 'wrap' as const),
    value: oddValue,
  }),
  { maxLength: 3 },
);

/** Every place in a JSON value, as the container and key that hold it. */
export function places(root: unknown): [Record<string, unknown>, string][] {
  const found: [Record<string, unknown>, string][] = [];
  const pending = [root];
  while (pending.length > 0 && found.length < 2_000) {
    const at = pending.pop();
    if (typeof at !== 'object' || at === null) continue;
    for (const key of Object.keys(at)) {
      found.push([at as Record<string, unknown>, key]);
      pending.push((at as Record<string, unknown>)[key]);
    }
  }
  return found;
}

/** A valid body with wrong types, odd values, missing fields or extra nesting put in places. */
export function mutate<T>(body: T, changes: Mutation[]): T {
  const copy = structuredClone<T>(body);
  for (const change of changes) {
    const all = places(copy);
    if (all.length === 0) break;
    const [holder, key] = all[change.at % all.length];
    if (change.op === 'delete') {
      if (Array.isArray(holder)) holder.splice(Number(key), 1);
      else delete holder[key];
    } else if (change.op === 'wrap') holder[key] = [holder[key]];
    else holder[key] = structuredClone(change.value);
  }
  return copy;
}

export const mutated = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof(
    valid,
    fc.tuple(valid, mutations).map(([body, changes]) => mutate(body, changes)),
    fc.constantFrom<unknown>(null, [], 'body', 42, {}),
  );
