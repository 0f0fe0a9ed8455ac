import { ApiError } from '../../errors/api-error';
import { rulesOver } from '../common/request-rules';
import { geminiToolName, toGeminiResponsesTools } from './responses-tools';

const noMedia = () => rulesOver((url) => Promise.reject(new Error(`unexpected fetch ${url}`)));

const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather',
  strict: true,
  parameters: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};
const patch = {
  type: 'custom',
  name: 'apply_patch',
  description: 'Edit files.',
  format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' },
};
const agents = {
  type: 'namespace',
  name: 'multi_agent_v1',
  description: 'Sub-agents',
  tools: [
    { type: 'function', name: 'close_agent', parameters: { type: 'object', properties: {} } },
  ],
};

const declarations = (tools: unknown[], choice?: unknown) =>
  (toGeminiResponsesTools(tools, choice, false, noMedia()).tools?.[0]?.functionDeclarations ??
    []) as {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
  }[];

function refusal(tools: unknown[], choice: unknown): ApiError {
  try {
    toGeminiResponsesTools(tools, choice, false, noMedia());
  } catch (e) {
    if (e instanceof ApiError) return e;
  }
  throw new Error('expected a 400');
}

describe('toGeminiResponsesTools', () => {
  it('declares a function with its schema sanitised', () => {
    expect(declarations([weather])).toEqual([
      {
        name: 'get_weather',
        description: 'Weather',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
      },
    ]);
  });

  it('declares a custom tool as one required string, its grammar in the description', () => {
    const [decl] = declarations([patch]);
    expect(decl.name).toBe('apply_patch');
    expect(decl.description).toContain('Edit files.');
    expect(decl.description).toContain('lark grammar:\nstart: "x"');
    expect(decl.parameters).toMatchObject({
      properties: { input: { type: 'string' } },
      required: ['input'],
    });
  });

  it('flattens a namespace and remembers where each name came from', () => {
    const mapped = toGeminiResponsesTools([agents, patch], undefined, false, noMedia());
    expect(mapped.byGeminiName.get('multi_agent_v1.close_agent')).toEqual({
      kind: 'function',
      name: 'close_agent',
      namespace: 'multi_agent_v1',
    });
    expect(mapped.byGeminiName.get('apply_patch')).toEqual({ kind: 'custom', name: 'apply_patch' });
  });

  it.each([
    [
      'web search alone becomes Google Search',
      [{ type: 'web_search' }],
      [{ googleSearch: {} }],
      [],
    ],
    [
      'web search beside functions is left out (Gemini cannot combine them)',
      [weather, { type: 'web_search' }],
      [{ functionDeclarations: declarations([weather]) }],
      ['web_search (beside functions)'],
    ],
    [
      "Codex's cached-only web search is always left out",
      [{ type: 'web_search', external_web_access: false }],
      undefined,
      ['web_search (cached only)'],
    ],
    [
      'tools with no Gemini equivalent are left out',
      [
        { type: 'local_shell' },
        { type: 'tool_search', execution: 'client' },
        { type: 'file_search' },
      ],
      undefined,
      ['local_shell', 'tool_search', 'file_search'],
    ],
  ])('%s', (_name, tools, geminiTools, leftOut) => {
    const mapped = toGeminiResponsesTools(tools, undefined, false, noMedia());
    expect(mapped.tools).toEqual(geminiTools);
    expect(mapped.leftOut).toEqual(leftOut);
  });

  it('adds Google Search for a -search model when no function is declared', () => {
    expect(toGeminiResponsesTools([], undefined, true, noMedia()).tools).toEqual([
      { googleSearch: {} },
    ]);
  });

  it.each([
    ['auto', 'auto', undefined],
    ['none', 'none', { mode: 'NONE' }],
    ['required', 'required', { mode: 'ANY' }],
    [
      'a named function',
      { type: 'function', name: 'get_weather' },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
    [
      'a named custom tool',
      { type: 'custom', name: 'apply_patch' },
      { mode: 'ANY', allowedFunctionNames: ['apply_patch'] },
    ],
    [
      'allowed tools, required',
      {
        type: 'allowed_tools',
        mode: 'required',
        tools: [{ type: 'function', name: 'get_weather' }],
      },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
  ])('maps tool_choice %s', (_name, choice, config) => {
    const mapped = toGeminiResponsesTools([weather, patch], choice, false, noMedia());
    expect(mapped.toolConfig?.functionCallingConfig).toEqual(config);
  });

  it('narrows the declarations for allowed tools in auto mode', () => {
    const choice = {
      type: 'allowed_tools',
      mode: 'auto',
      tools: [{ type: 'custom', name: 'apply_patch' }],
    };
    const mapped = toGeminiResponsesTools([weather, patch], choice, false, noMedia());
    expect(declarations([weather, patch], choice).map((d) => d.name)).toEqual(['apply_patch']);
    expect(mapped.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it.each([
    ['a function not in tools', { type: 'function', name: 'missing' }, /not in tools/],
    ['a hosted tool Gemini cannot serve', { type: 'file_search' }, /file_search/],
    ['an unknown choice type', { type: 'teleport' }, /not supported/],
  ])('answers 400 when tool_choice forces %s', (_name, choice, message) => {
    const error = refusal([weather], choice);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('answers 400 when tool_choice forces a hosted tool even with no functions declared', () => {
    expect(refusal([{ type: 'file_search' }], { type: 'file_search' }).param).toBe('tool_choice');
  });
});

describe('geminiToolName', () => {
  it.each([
    ['a plain name, unchanged', 'get_weather', undefined, 'get_weather'],
    ['a namespaced name, flattened', 'close_agent', 'multi_agent_v1', 'multi_agent_v1.close_agent'],
    ['characters Gemini refuses, replaced', 'mcp/tool name', undefined, 'mcp_tool_name'],
    ['a leading digit, prefixed', '1st', undefined, '_1st'],
  ])('keeps %s', (_name, name, namespace, expected) => {
    expect(geminiToolName(name, namespace)).toBe(expected);
  });

  it('shortens a name past 64 characters, stably and distinctly', () => {
    const a = geminiToolName('a'.repeat(70));
    expect(a).toHaveLength(64);
    expect(geminiToolName('a'.repeat(70))).toBe(a);
    expect(geminiToolName(`${'a'.repeat(69)}b`)).not.toBe(a);
  });

  it('maps a shortened name back to the client tool', () => {
    const name = 'x'.repeat(80);
    const mapped = toGeminiResponsesTools(
      [{ type: 'function', name }],
      undefined,
      false,
      noMedia(),
    );
    expect(mapped.byGeminiName.get(geminiToolName(name))).toEqual({ kind: 'function', name });
  });
});

describe('tool types left out', () => {
  it('reports a bounded, de-duplicated list of loggable types', () => {
    const tools = Array.from({ length: 10_000 }, (_, k) => ({ type: `hosted_${k % 5_000}` }));
    tools.push({ type: 'evil\nLOG forged line' });
    const { leftOut } = toGeminiResponsesTools(tools, undefined, false, noMedia());
    expect(leftOut.length).toBeLessThanOrEqual(16);
    expect(new Set(leftOut).size).toBe(leftOut.length);
    const forged = toGeminiResponsesTools(
      [{ type: 'evil\nLOG forged line' }],
      undefined,
      false,
      noMedia(),
    ).leftOut;
    expect(forged).toEqual(['evil?LOG forged line']);
  });
});
