/**
 * What one request's tool schemas may cost once every `$ref` is inlined. Gemini has no `$ref`, so
 * the sanitiser copies each referenced definition into place; chained references double the
 * schema at every link, and a 2 KB request could otherwise expand to hundreds of megabytes.
 */

/** Schema objects, array items and keyword values visited while expanding, per request. */
export const MAX_SCHEMA_NODES = 50_000;
/**
 * Characters of the expanded schemas, per request: about a million tokens, more than any Gemini
 * model's context, so no schema a model could use is refused.
 */
export const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;

/** The sanitiser's lists of strings; its other arrays hold schemas, charged as nodes of their own. */
const LISTS = new Set(['enum', 'required', 'propertyOrdering']);

/** A tool schema the proxy cannot translate: a malformed `$ref`, or past the budget above. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

export interface SchemaLimits {
  maxNodes: number;
  maxBytes: number;
}

/** Counts the expanded schemas of one request and stops the expansion at the first limit. */
export class SchemaBudget {
  nodes = 0;
  bytes = 0;

  constructor(
    readonly limits: SchemaLimits = { maxNodes: MAX_SCHEMA_NODES, maxBytes: MAX_SCHEMA_BYTES },
  ) {}

  charge(nodes: number, bytes = 0): void {
    this.nodes += nodes;
    this.bytes += bytes;
    if (this.nodes > this.limits.maxNodes) {
      throw new SchemaError(
        `the tool schemas expand to more than ${this.limits.maxNodes} nodes once every $ref is inlined (the proxy's limit per request); use fewer or shallower $ref chains.`,
      );
    }
    if (this.bytes > this.limits.maxBytes) {
      throw new SchemaError(
        `the tool schemas expand to more than ${this.limits.maxBytes} bytes once every $ref is inlined (the proxy's limit per request); use fewer or shallower $ref chains.`,
      );
    }
  }

  /** Charges an arbitrary JSON value (a `default`, an `example`), walked without recursion. */
  chargeValue(value: unknown): void {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
      const v = pending.pop();
      if (typeof v === 'string') this.charge(1, v.length + 3);
      else if (Array.isArray(v)) {
        this.charge(1, 2 + v.length);
        for (const item of v) pending.push(item);
      } else if (typeof v === 'object' && v !== null) {
        const record = v as Record<string, unknown>;
        this.charge(1, 2);
        for (const key in record) {
          this.charge(0, key.length + 4);
          pending.push(record[key]);
        }
      } else this.charge(1, 8);
    }
  }

  /** A schema node the sanitiser built: one node, and roughly its JSON size without its children. */
  chargeNode<T extends Record<string, unknown> | undefined>(schema: T): T {
    if (!schema) return schema;
    let bytes = 2;
    for (const [key, value] of Object.entries(schema)) {
      bytes += key.length + 4;
      if (typeof value === 'string') bytes += value.length;
      else if (typeof value === 'number' || typeof value === 'boolean') bytes += 8;
      else if (key === 'properties' && typeof value === 'object' && value !== null) {
        for (const name of Object.keys(value)) bytes += name.length + 4;
      } else if (Array.isArray(value) && LISTS.has(key)) {
        for (const item of value as unknown[]) bytes += String(item).length + 3;
      }
    }
    this.charge(1, bytes);
    return schema;
  }

  /** A value Gemini can only take as JSON text (a non-string enum value); charged before it is written. */
  json(value: unknown): string {
    this.chargeValue(value);
    try {
      return JSON.stringify(value);
    } catch {
      throw new SchemaError('an enum value cannot be written as JSON.');
    }
  }
}
