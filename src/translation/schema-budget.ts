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
}
