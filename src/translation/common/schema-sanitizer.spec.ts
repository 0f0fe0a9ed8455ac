import { MAX_SCHEMA_BYTES, SchemaBudget, SchemaError } from './schema-budget';
import { sanitizeSchema, Schema } from './schema-sanitizer';

/** Wraps one property so a rule can be checked where Gemini meets it: inside `parameters`. */
const prop = (schema: unknown): Schema | undefined =>
  sanitizeSchema({ type: 'object', properties: { x: schema } })?.properties as Schema | undefined;
const x = (schema: unknown) => prop(schema)?.x;

// Real client output, captured from the libraries named.
const LANGCHAIN_ZOD_TOOL = {
  // @langchain/core convertToOpenAITool(tool(..., {schema: z.object({...})})) with zod 3
  type: 'object',
  properties: {
    origin: {
      type: 'string',
      minLength: 3,
      maxLength: 3,
      description: 'IATA code of the departure airport',
    },
    destination: {
      type: 'string',
      minLength: 3,
      maxLength: 3,
      description: 'IATA code of the arrival airport',
    },
    date: { type: 'string', format: 'date-time', description: 'Departure date and time' },
    cabin: {
      type: 'string',
      enum: ['economy', 'premium', 'business', 'first'],
      default: 'economy',
    },
    passengers: { type: 'integer', exclusiveMinimum: 0, maximum: 9 },
    flexible: { type: ['boolean', 'null'] },
    filters: {
      type: 'object',
      properties: {
        maxStops: { type: 'integer', minimum: 0 },
        airlines: { type: 'array', items: { type: 'string' } },
      },
      required: ['maxStops'],
      additionalProperties: false,
    },
    mode: { type: 'string', const: 'search' },
  },
  required: ['origin', 'destination', 'date', 'flexible', 'mode'],
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
};

const PYDANTIC_V2_CONTACT = {
  // Contact.model_json_schema() with an Address sub-model, Optional fields and a Literal
  $defs: {
    Address: {
      properties: {
        street: { title: 'Street', type: 'string' },
        city: { title: 'City', type: 'string' },
        postcode: {
          anyOf: [{ type: 'string' }, { type: 'null' }],
          default: null,
          title: 'Postcode',
        },
      },
      required: ['street', 'city'],
      title: 'Address',
      type: 'object',
    },
  },
  description: 'Create a contact in the CRM.',
  properties: {
    name: { description: 'Full name', title: 'Name', type: 'string' },
    email: {
      anyOf: [{ type: 'string' }, { type: 'null' }],
      default: null,
      description: 'Work e-mail',
      title: 'Email',
    },
    address: { anyOf: [{ $ref: '#/$defs/Address' }, { type: 'null' }], default: null },
    tags: { default: [], items: { type: 'string' }, title: 'Tags', type: 'array' },
    priority: {
      default: 'normal',
      enum: ['low', 'normal', 'high'],
      title: 'Priority',
      type: 'string',
    },
  },
  required: ['name'],
  title: 'Contact',
  type: 'object',
};

const PYDANTIC_V2_TREE = {
  // A self-referencing model: Pydantic puts the root itself behind $ref.
  $defs: {
    TreeNode: {
      properties: {
        label: { title: 'Label', type: 'string' },
        children: {
          default: [],
          items: { $ref: '#/$defs/TreeNode' },
          title: 'Children',
          type: 'array',
        },
      },
      required: ['label'],
      title: 'TreeNode',
      type: 'object',
    },
  },
  $ref: '#/$defs/TreeNode',
};

const KILO_READ_FILE = {
  // Kilo Code / Cline native tool in OpenAI strict style: every key required, optional ones nullable.
  type: 'object',
  properties: {
    path: { type: 'string', description: 'Path of the file relative to the workspace' },
    start_line: { type: ['integer', 'null'], description: '1-based first line to read' },
    end_line: { type: ['integer', 'null'], description: '1-based last line to read' },
  },
  required: ['path', 'start_line', 'end_line'],
  additionalProperties: false,
};

const MCP_FILESYSTEM_EDIT_FILE = {
  // @modelcontextprotocol/server-filesystem `edit_file` inputSchema
  type: 'object',
  properties: {
    path: { type: 'string' },
    edits: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          oldText: { type: 'string', description: 'Text to search for - must match exactly' },
          newText: { type: 'string', description: 'Text to replace with' },
        },
        required: ['oldText', 'newText'],
        additionalProperties: false,
      },
    },
    dryRun: {
      type: 'boolean',
      default: false,
      description: 'Preview changes using git-style diff format',
    },
  },
  required: ['path', 'edits'],
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
};

describe('sanitizeSchema on real client schemas', () => {
  it('turns a LangChain zod tool into Gemini parameters', () => {
    expect(sanitizeSchema(LANGCHAIN_ZOD_TOOL)).toEqual({
      type: 'object',
      properties: {
        origin: {
          type: 'string',
          minLength: 3,
          maxLength: 3,
          description: 'IATA code of the departure airport',
        },
        destination: {
          type: 'string',
          minLength: 3,
          maxLength: 3,
          description: 'IATA code of the arrival airport',
        },
        date: { type: 'string', format: 'date-time', description: 'Departure date and time' },
        cabin: {
          type: 'string',
          enum: ['economy', 'premium', 'business', 'first'],
          default: 'economy',
        },
        passengers: { type: 'integer', minimum: 1, maximum: 9 },
        flexible: { type: 'boolean', nullable: true },
        filters: {
          type: 'object',
          properties: {
            maxStops: { type: 'integer', minimum: 0 },
            airlines: { type: 'array', items: { type: 'string' } },
          },
          required: ['maxStops'],
        },
        mode: { type: 'string', enum: ['search'] },
      },
      required: ['origin', 'destination', 'date', 'flexible', 'mode'],
    });
  });

  it('inlines a Pydantic v2 $defs model and turns its anyOf-null fields into nullable ones', () => {
    expect(sanitizeSchema(PYDANTIC_V2_CONTACT)).toEqual({
      type: 'object',
      title: 'Contact',
      description: 'Create a contact in the CRM.',
      properties: {
        name: { type: 'string', title: 'Name', description: 'Full name' },
        email: {
          type: 'string',
          title: 'Email',
          description: 'Work e-mail',
          nullable: true,
          default: null,
        },
        address: {
          type: 'object',
          title: 'Address',
          nullable: true,
          default: null,
          properties: {
            street: { type: 'string', title: 'Street' },
            city: { type: 'string', title: 'City' },
            postcode: { type: 'string', title: 'Postcode', nullable: true, default: null },
          },
          required: ['street', 'city'],
        },
        tags: { type: 'array', title: 'Tags', items: { type: 'string' }, default: [] },
        priority: {
          type: 'string',
          title: 'Priority',
          enum: ['low', 'normal', 'high'],
          default: 'normal',
        },
      },
      required: ['name'],
    });
  });

  it('turns Kilo Code type arrays with null into one type plus nullable', () => {
    expect(sanitizeSchema(KILO_READ_FILE)?.properties).toEqual({
      path: { type: 'string', description: 'Path of the file relative to the workspace' },
      start_line: { type: 'integer', nullable: true, description: '1-based first line to read' },
      end_line: { type: 'integer', nullable: true, description: '1-based last line to read' },
    });
  });

  it('strips $schema and additionalProperties from an MCP schema at every depth', () => {
    const out = JSON.stringify(sanitizeSchema(MCP_FILESYSTEM_EDIT_FILE));
    expect([out.includes('$schema'), out.includes('additionalProperties')]).toEqual([false, false]);
  });

  it('keeps the structure of an MCP schema', () => {
    expect(sanitizeSchema(MCP_FILESYSTEM_EDIT_FILE)).toMatchObject({
      required: ['path', 'edits'],
      properties: {
        edits: { type: 'array', items: { type: 'object', required: ['oldText', 'newText'] } },
        dryRun: { type: 'boolean', default: false },
      },
    });
  });

  it('unrolls a recursive Pydantic model twice, then asks for the rest as JSON text', () => {
    const tree = sanitizeSchema(PYDANTIC_V2_TREE)!;
    const child = (node: Schema) =>
      ((node.properties as Schema).children as Schema).items as Schema;
    expect(child(child(tree))).toEqual({
      type: 'string',
      description: 'A JSON value, written as a string.',
    });
  });
});

describe('sanitizeSchema keyword rules', () => {
  it.each([
    ['$id', { type: 'string', $id: 'urn:x' }],
    ['strict', { type: 'string', strict: true }],
    ['examples', { type: 'string', examples: ['a'] }],
    ['input_examples', { type: 'string', input_examples: ['a'] }],
    ['$comment', { type: 'string', $comment: 'internal' }],
    ['propertyNames', { type: 'string', propertyNames: { pattern: '^a' } }],
    ['readOnly', { type: 'string', readOnly: true }],
    ['x-vendor keys', { type: 'string', 'x-order': 1 }],
  ])('drops %s', (_, schema) => {
    expect(x(schema)).toEqual({ type: 'string' });
  });

  it.each([
    ['a string const', { const: 'search' }, { type: 'string', enum: ['search'] }],
    [
      'a string enum with number values',
      { type: 'string', enum: [1, 2] },
      { type: 'string', enum: ['1', '2'] },
    ],
    ['an untyped enum of strings', { enum: ['a', 'b'] }, { type: 'string', enum: ['a', 'b'] }],
    ['an enum with null', { enum: ['a', null] }, { type: 'string', enum: ['a'], nullable: true }],
  ])('turns %s into a string enum', (_, schema, expected) => {
    expect(x(schema)).toEqual(expected);
  });

  it('keeps an integer enum as an integer and names the values in the description', () => {
    expect(x({ type: 'integer', enum: [0, 1, 2], description: 'Log level.' })).toEqual({
      type: 'integer',
      description: 'Log level. Allowed values: 0, 1, 2.',
    });
  });

  it.each([
    [{ type: ['string', 'null'] }, { type: 'string', nullable: true }],
    [{ type: ['null', 'integer'] }, { type: 'integer', nullable: true }],
    [{ anyOf: [{ type: 'number' }, { type: 'null' }] }, { type: 'number', nullable: true }],
    [{ oneOf: [{ type: 'null' }, { type: 'boolean' }] }, { type: 'boolean', nullable: true }],
  ])('turns %j into one type plus nullable', (schema, expected) => {
    expect(x(schema)).toEqual(expected);
  });

  it('turns a type array of two real types into anyOf', () => {
    expect(x({ type: ['string', 'number'], description: 'id' })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
      description: 'id',
    });
  });

  it('keeps a real union as anyOf without the default Vertex rejects beside it', () => {
    const schema = {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      default: 'a',
    };
    expect(x(schema)).toEqual({
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    });
  });

  it('collapses an anyOf of string constants into one enum', () => {
    expect(x({ anyOf: [{ const: 'asc' }, { const: 'desc' }], description: 'Order' })).toEqual({
      type: 'string',
      enum: ['asc', 'desc'],
      description: 'Order',
    });
  });

  it('lets the outer description win when a single anyOf branch is hoisted', () => {
    const schema = {
      anyOf: [{ type: 'string', description: 'inner' }, { type: 'null' }],
      description: 'outer',
    };
    expect(x(schema)).toEqual({ type: 'string', description: 'outer', nullable: true });
  });

  it('ignores anyOf branches that only add constraints to an outer type', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    };
    expect(x(schema)).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
    });
  });

  it('merges allOf members, $ref ones included, uniting properties and required', () => {
    const out = sanitizeSchema({
      $defs: {
        Named: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
      allOf: [
        { $ref: '#/$defs/Named' },
        { properties: { age: { type: 'integer' } }, required: ['age'] },
      ],
    });
    expect(out).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    });
  });

  it('resolves a #/definitions reference and a JSON pointer into properties', () => {
    const out = sanitizeSchema({
      definitions: { Id: { type: 'string', format: 'uuid' } },
      type: 'object',
      properties: { id: { $ref: '#/definitions/Id' }, parentId: { $ref: '#/properties/id' } },
    });
    expect(out?.properties).toEqual({ id: { type: 'string' }, parentId: { type: 'string' } });
  });

  it('asks for JSON text when a $ref points nowhere', () => {
    expect(x({ $ref: '#/$defs/Missing', description: 'Payload' })).toEqual({
      type: 'string',
      description: 'Payload (A JSON value, written as a string.)',
    });
  });

  it('drops required names that are not properties, which Gemini rejects', () => {
    const out = sanitizeSchema({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a', 'ref'],
    });
    expect(out?.required).toEqual(['a']);
  });

  it.each([
    [
      { type: 'integer', exclusiveMinimum: 0 },
      { type: 'integer', minimum: 1 },
    ],
    [
      { type: 'integer', exclusiveMaximum: 10 },
      { type: 'integer', maximum: 9 },
    ],
    [
      { type: 'number', exclusiveMinimum: 0.5 },
      { type: 'number', minimum: 0.5 },
    ],
    [
      { type: 'number', minimum: 2, exclusiveMinimum: 0 },
      { type: 'number', minimum: 2 },
    ],
    [
      { type: 'number', minimum: 0, exclusiveMinimum: true },
      { type: 'number', minimum: 0 },
    ],
  ])('folds exclusive bounds of %j into inclusive ones', (schema, expected) => {
    expect(x(schema)).toEqual(expected);
  });

  it.each([
    [{ type: 'string', default: 7 }, { type: 'string' }],
    [{ type: 'integer', default: 1.5 }, { type: 'integer' }],
    [
      { type: 'string', enum: ['a'], default: 'b' },
      { type: 'string', enum: ['a'] },
    ],
    [{ type: 'string', default: null }, { type: 'string' }],
  ])('drops the invalid default in %j', (schema, expected) => {
    expect(x(schema)).toEqual(expected);
  });

  it.each([
    [
      { type: 'string', format: 'date-time' },
      { type: 'string', format: 'date-time' },
    ],
    [{ type: 'string', format: 'email' }, { type: 'string' }],
    [
      { type: 'integer', format: 'int64' },
      { type: 'integer', format: 'int64' },
    ],
    [{ type: 'number', format: 'int32' }, { type: 'number' }],
  ])('keeps only formats Gemini knows for the type: %j', (schema, expected) => {
    expect(x(schema)).toEqual(expected);
  });

  it('gives an array without items string items, since Gemini requires items', () => {
    expect(x({ type: 'array', description: 'ids' })).toEqual({
      type: 'array',
      description: 'ids',
      items: { type: 'string' },
    });
  });

  it('turns a tuple into an array of the union of its item types', () => {
    expect(x({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'string' }] })).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'number' }, { type: 'string' }] },
    });
  });

  it.each([
    [
      'a record',
      { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers' },
    ],
    ['a bare object', { type: 'object', description: 'Headers' }],
    [
      'an object with only patternProperties',
      { patternProperties: { '^x-': {} }, description: 'Headers' },
    ],
  ])('asks for %s nested in parameters as JSON text', (_, schema) => {
    expect(x(schema)).toEqual({
      type: 'string',
      description: 'Headers (A JSON value, written as a string.)',
    });
  });

  it('asks for an any-typed value as a string, which every such schema accepts', () => {
    expect(x({ description: 'Anything' })).toEqual({ type: 'string', description: 'Anything' });
  });

  it('drops a property whose schema is false', () => {
    const out = sanitizeSchema({ type: 'object', properties: { a: { type: 'string' }, b: false } });
    expect(out?.properties).toEqual({ a: { type: 'string' } });
  });

  it('gives the union of the branches when the root is a union of objects', () => {
    const out = sanitizeSchema({
      anyOf: [
        {
          type: 'object',
          properties: { kind: { const: 'a' }, a: { type: 'string' } },
          required: ['kind', 'a'],
        },
        {
          type: 'object',
          properties: { kind: { const: 'b' }, b: { type: 'number' } },
          required: ['kind', 'b'],
        },
      ],
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['a'] },
        a: { type: 'string' },
        b: { type: 'number' },
      },
      required: ['kind'],
    });
  });

  it('does not change the schema it was given', () => {
    const input = structuredClone(PYDANTIC_V2_CONTACT);
    sanitizeSchema(input);
    expect(input).toEqual(PYDANTIC_V2_CONTACT);
  });
});

describe('sanitizeSchema for tools without arguments', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty schema', {}],
    ['a bare object', { type: 'object' }],
    ['an object with no properties', { type: 'object', properties: {}, required: [] }],
    [
      'zod z.object({}) as LangChain sends it',
      {
        type: 'object',
        properties: {},
        additionalProperties: false,
        $schema: 'http://json-schema.org/draft-07/schema#',
      },
    ],
  ])('omits parameters for %s', (_, schema) => {
    expect(sanitizeSchema(schema)).toBeUndefined();
  });
});

/** `levels` definitions, each holding two references to the next: 2^levels leaves once inlined. */
function doublingChain(levels: number, leaf: Schema = { type: 'string' }): Schema {
  const $defs: Schema = {};
  for (let i = 0; i < levels; i++) {
    const next = { $ref: `#/$defs/d${i + 1}` };
    $defs[`d${i}`] = { type: 'object', properties: { left: next, right: next } };
  }
  $defs[`d${levels}`] = leaf;
  return { type: 'object', $defs, properties: { root: { $ref: '#/$defs/d0' } } };
}

describe('sanitizeSchema cost', () => {
  it('inlines a doubling $ref chain that stays inside the budget', () => {
    const out = sanitizeSchema(doublingChain(10));
    let node = (out?.properties as Schema).root as Schema;
    for (let i = 0; i < 10; i++) node = (node.properties as Schema).right as Schema;
    expect(node).toEqual({ type: 'string' });
    expect(JSON.stringify(out).length).toBeLessThan(MAX_SCHEMA_BYTES);
  });

  it.each([
    ['a doubling $ref chain 20 levels deep', 'nodes', doublingChain(20)],
    ['a doubling $ref chain 200 levels deep', 'nodes', doublingChain(200)],
    [
      'a long description inlined thousands of times',
      'bytes',
      doublingChain(12, { type: 'string', description: 'x'.repeat(2000) }),
    ],
    [
      'a large example inlined thousands of times',
      'nodes',
      doublingChain(12, { type: 'array', items: {}, example: Array(300).fill('v') }),
    ],
  ])('refuses %s, naming the %s limit, at once', (_, unit, schema) => {
    const started = performance.now();
    expect(() => sanitizeSchema(schema)).toThrow(
      new RegExp(`expand to more than \\d+ ${unit} once every \\$ref is inlined`),
    );
    // It takes a few ms; the bound leaves room for a busy machine's pauses, not for exponential work.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('shares one budget between the schemas it is given', () => {
    const budget = new SchemaBudget({ maxNodes: 100, maxBytes: 1_000_000 });
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(() => {
      for (let i = 0; i < 50; i++) sanitizeSchema(schema, budget);
    }).toThrow(SchemaError);
    expect(budget.nodes).toBeGreaterThan(100);
  });

  it('reads only the keywords it knows, however many other keys a node carries', () => {
    const junk = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const budget = new SchemaBudget();
    const out = sanitizeSchema(doublingChain(8, { type: 'string', ...junk }), budget);
    expect(JSON.stringify(out)).not.toContain('k4999');
    expect(budget.nodes).toBeLessThan(2000);
  });

  it.each([
    ['a $ref to itself through allOf', { A: { allOf: [{ $ref: '#/$defs/A' }] } }, 'A'],
    [
      'a chain of 5000 references that only point on',
      Object.fromEntries(
        Array.from({ length: 5000 }, (_, i) => [`r${i}`, { $ref: `#/$defs/r${i + 1}` }]),
      ),
      'r0',
    ],
  ])('gives up on %s without overflowing the stack', (_, $defs, start) => {
    const schema = { type: 'object', $defs, properties: { a: { $ref: `#/$defs/${start}` } } };
    expect(sanitizeSchema(schema)?.properties).toEqual({ a: expect.any(Object) });
  });
});

describe('sanitizeSchema with a malformed $ref', () => {
  it.each([['#/%E0'], ['#/$defs/%'], ['#/$defs/a%ZZb'], ['#/%C0%AF']])(
    'refuses %s as a bad JSON pointer',
    (ref) => {
      expect(() => x({ $ref: ref })).toThrow(
        new SchemaError(
          `$ref ${JSON.stringify(ref)} is not a valid JSON pointer (bad percent-encoding).`,
        ),
      );
    },
  );

  it.each([
    ['a pointer to nothing', '#/$defs/Missing'],
    ['another document', 'https://example.com/schema.json#/Address'],
    ['a percent-encoded pointer', '#/%24defs/A'],
  ])('still reads %s', (_, ref) => {
    expect(() => x({ $ref: ref })).not.toThrow();
  });
});
