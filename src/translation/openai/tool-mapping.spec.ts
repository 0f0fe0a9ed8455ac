import { rulesOver } from '../common/request-rules';
import type { OpenAIChatRequest, ToolChoice } from './openai-types';
import { toGeminiTools } from './tool-mapping';

// Two tools as the openai SDK sends them.
const TOOLS: OpenAIChatRequest['tools'] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Get the current weather for a city.',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          unit: { type: ['string', 'null'], enum: ['c', 'f', null] },
        },
        required: ['city', 'unit'],
        additionalProperties: false,
      },
      strict: true,
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      description: 'Get the current time.',
      parameters: { type: 'object', properties: {} },
    },
  },
];

const tools = (patch: Partial<OpenAIChatRequest>, search = false) =>
  toGeminiTools(
    { model: 'gemini-2.5-flash', messages: [], ...patch },
    search,
    rulesOver((url) => Promise.reject(new Error(`unexpected fetch ${url}`))),
  );

describe('toGeminiTools', () => {
  it('turns function tools into one functionDeclarations entry with sanitised parameters', () => {
    expect(tools({ tools: TOOLS }).tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Get the current weather for a city.',
            parameters: {
              type: 'object',
              properties: {
                city: { type: 'string' },
                unit: { type: 'string', enum: ['c', 'f'], nullable: true },
              },
              required: ['city', 'unit'],
            },
          },
          { name: 'get_time', description: 'Get the current time.' },
        ],
      },
    ]);
  });

  it.each<[ToolChoice, object]>([
    ['none', { functionCallingConfig: { mode: 'NONE' } }],
    ['auto', { functionCallingConfig: { mode: 'AUTO' } }],
    ['required', { functionCallingConfig: { mode: 'ANY' } }],
    [
      { type: 'function', function: { name: 'get_time' } },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } },
    ],
    [
      {
        type: 'allowed_tools',
        allowed_tools: {
          mode: 'required',
          tools: [{ type: 'function', function: { name: 'get_time' } }],
        },
      },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } },
    ],
  ])('maps tool_choice %j to %j', (choice, expected) => {
    expect(tools({ tools: TOOLS, tool_choice: choice }).toolConfig).toEqual(expected);
  });

  it('narrows the declarations for allowed_tools in auto mode', () => {
    const choice: ToolChoice = {
      type: 'allowed_tools',
      allowed_tools: {
        mode: 'auto',
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
      },
    };
    const out = tools({ tools: TOOLS, tool_choice: choice });
    expect((out.tools?.[0].functionDeclarations as { name: string }[]).map((d) => d.name)).toEqual([
      'get_weather',
    ]);
  });

  it('rejects a named tool_choice that is not among the tools', () => {
    expect(() =>
      tools({ tools: TOOLS, tool_choice: { type: 'function', function: { name: 'send_email' } } }),
    ).toThrow(expect.objectContaining({ param: 'tool_choice.function.name' }));
  });

  it('ignores tool_choice when there are no tools', () => {
    expect(tools({ tool_choice: 'required' })).toEqual({});
  });

  it('adds googleSearch after the function tools for a -search model', () => {
    expect(tools({ tools: TOOLS }, true).tools?.[1]).toEqual({ googleSearch: {} });
  });

  it('adds googleSearch for OpenAI web_search_options', () => {
    expect(tools({ web_search_options: {} }).tools).toEqual([{ googleSearch: {} }]);
  });

  it.each([
    ['a non-function tool', [{ type: 'custom', custom: { name: 'x' } }], 'tools[0].type'],
    [
      'a tool without a name',
      [{ type: 'function', function: { description: 'x' } }],
      'tools[0].function.name',
    ],
  ])('rejects %s naming the field', (_, list, param) => {
    expect(() => tools({ tools: list as never })).toThrow(expect.objectContaining({ param }));
  });
});
