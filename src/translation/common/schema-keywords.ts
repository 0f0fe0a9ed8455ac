/**
 * The vocabulary of Gemini's function-parameter Schema, and the keyword-level rules the
 * sanitiser applies to one node at a time.
 */
import { isRecord } from '../../json/is-record';
import { SchemaError } from './schema-budget';

export type Schema = Record<string, unknown>;

// Google's Schema message for function parameters; nothing else may reach the wire.
export type GeminiType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
export const GEMINI_TYPES = new Set<string>([
  'string',
  'number',
  'integer',
  'boolean',
  'array',
  'object',
]);
export const FORMATS: Partial<Record<GeminiType, string[]>> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};
export const NUMERIC_KEYS: Partial<Record<GeminiType, string[]>> = {
  string: ['minLength', 'maxLength'],
  array: ['minItems', 'maxItems'],
  object: ['minProperties', 'maxProperties'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
};

/**
 * `#/$defs/Address`, `#/definitions/Address`, or any JSON pointer into the same document; other
 * documents are not fetched (undefined). A pointer that cannot be decoded is the client's error.
 */
export function resolvePointer(root: Schema, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const path = ref.slice(1).split('/').filter(Boolean);
  let at: unknown = root;
  for (const raw of path) {
    const key = decodePointerToken(raw, ref).replace(/~1/g, '/').replace(/~0/g, '~');
    at = isRecord(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined;
  }
  return at;
}

function decodePointerToken(raw: string, ref: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    const shown = ref.length > 80 ? `${ref.slice(0, 77)}...` : ref;
    throw new SchemaError(
      `$ref ${JSON.stringify(shown)} is not a valid JSON pointer (bad percent-encoding).`,
    );
  }
}

export function asJsonText(description: unknown, nullable = false): Schema {
  const note = 'A JSON value, written as a string.';
  return {
    type: 'string',
    description: typeof description === 'string' && description ? `${description} (${note})` : note,
    ...(nullable && { nullable: true }),
  };
}

export function looksLikeObject(s: Schema): boolean {
  return (
    isRecord(s.properties) ||
    isRecord(s.patternProperties) ||
    isRecord(s.additionalProperties) ||
    s.additionalProperties === true
  );
}

export function isNullSchema(s: unknown): boolean {
  return isRecord(s) && (s.type === 'null' || ('const' in s && s.const === null));
}

export function isTypedBranch(s: unknown): boolean {
  return (
    isRecord(s) &&
    ['type', '$ref', 'properties', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf'].some(
      (k) => k in s,
    )
  );
}

export function inferType(values: unknown[]): GeminiType {
  if (values.length > 0 && values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.length > 0 && values.every((v) => Number.isInteger(v))) return 'integer';
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return 'number';
  return 'string';
}

/** JSON Schema 2020's numeric `exclusiveMinimum` becomes an inclusive bound; draft-4 booleans are dropped. */
export function foldExclusiveBounds(node: Schema, out: Schema, type: 'number' | 'integer'): void {
  const step = type === 'integer' ? 1 : 0;
  if (typeof node.exclusiveMinimum === 'number' && out.minimum === undefined) {
    out.minimum = node.exclusiveMinimum + step;
  }
  if (typeof node.exclusiveMaximum === 'number' && out.maximum === undefined) {
    out.maximum = node.exclusiveMaximum - step;
  }
}

export function isValidDefault(value: unknown, out: Schema): boolean {
  if (value === null) return out.nullable === true;
  switch (out.type) {
    case 'string':
      return typeof value === 'string' && (!Array.isArray(out.enum) || out.enum.includes(value));
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    default:
      return false;
  }
}

/** Every keyword the sanitiser reads; anything else in a client's schema is dropped unread. */
export const KEYWORDS = [
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
  'type',
  'nullable',
  'const',
  'enum',
  'title',
  'description',
  'format',
  ...new Set(Object.values(NUMERIC_KEYS).flat()),
  'exclusiveMinimum',
  'exclusiveMaximum',
  'pattern',
  'items',
  'prefixItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'propertyOrdering',
  'default',
  'example',
];

/** Only the keywords the sanitiser reads, so that unknown keys cost nothing however often a node is inlined. */
export function keywordsOf(...sources: Schema[]): Schema {
  const out: Schema = {};
  for (const source of sources) {
    for (const key of KEYWORDS) if (key in source) out[key] = source[key];
  }
  return out;
}
