import type { GeminiPart } from '../../upstream/gemini-types';
import { readParts } from './part-reader';

describe('readParts', () => {
  it('joins neighbouring text parts and keeps thoughts apart', () => {
    const parts: GeminiPart[] = [
      { text: 'Let me ', thought: true },
      { text: 'think.', thought: true },
      { text: 'The answer ' },
      { text: 'is 4.' },
    ];
    expect(readParts(parts)).toEqual([
      { kind: 'reasoning', text: 'Let me think.' },
      { kind: 'text', text: 'The answer is 4.' },
    ]);
  });

  it('keeps two calls apart even when they are neighbours', () => {
    const parts: GeminiPart[] = [
      { functionCall: { name: 'a' } },
      { functionCall: { name: 'b', args: { x: 1 } } },
    ];
    expect(readParts(parts)).toEqual([
      { kind: 'call', name: 'a', args: {}, signature: undefined },
      { kind: 'call', name: 'b', args: { x: 1 }, signature: undefined },
    ]);
  });

  it('skips the empty text part Gemini 3 sends to carry a signature', () => {
    expect(readParts([{ text: '', thoughtSignature: 'Cs4BAdHt' }])).toEqual([]);
  });

  it('renders code execution as fenced blocks', () => {
    const parts: GeminiPart[] = [
      { executableCode: { language: 'PYTHON', code: 'print(2+2)' } },
      { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '4\n' } },
    ];
    expect(readParts(parts)).toEqual([
      { kind: 'text', text: '\n```python\nprint(2+2)\n```\n\n```\n4\n```\n' },
    ]);
  });

  it.each([
    ['audio output', { inlineData: { mimeType: 'audio/L16;codec=pcm;rate=24000', data: 'AAAA' } }],
    ['a thought image', { inlineData: { mimeType: 'image/png', data: 'iVBO' }, thought: true }],
    [
      'a file reference',
      { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
    ],
  ])('leaves out %s, which OpenAI messages cannot carry', (_, part) => {
    expect(readParts([part])).toEqual([]);
  });
});
