import { decodeJsonArrayStream, decodeSse } from './sse-decoder';
import { UpstreamNetworkError } from './upstream-errors';

const encoder = new TextEncoder();

async function* source(chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const chunk of chunks) yield chunk;
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function splitAt(data: Uint8Array, ...cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts, data.length];
  return points.slice(1).map((end, i) => data.slice(points[i], end));
}

function oneByteAtATime(data: Uint8Array): Uint8Array[] {
  return Array.from(data, (_, i) => data.slice(i, i + 1));
}

// Shaped like a Code Assist `streamGenerateContent?alt=sse` answer: CRLF framing, a heartbeat
// comment, a multi-line event, and text with two-, three- and four-byte UTF-8 characters.
const chunk1 = {
  response: { candidates: [{ content: { role: 'model', parts: [{ text: 'Grüße 👋 ' }] } }] },
  traceId: 't1',
};
const chunk2 = {
  response: { candidates: [{ content: { role: 'model', parts: [{ text: '你好 {"a":[1]}' }] } }] },
  traceId: 't1',
};
const chunk3 = {
  response: {
    candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 7, totalTokenCount: 10 },
  },
  traceId: 't1',
};
const RECORDED_SSE =
  `data: ${JSON.stringify(chunk1)}\r\n\r\n` +
  ': keep-alive\r\n\r\n' +
  `data: ${JSON.stringify(chunk2)}\r\n\r\n` +
  `data: {"response":${JSON.stringify(chunk3.response)},\r\ndata: "traceId":"t1"}\r\n\r\n`;
const RECORDED_SSE_EVENTS = [
  JSON.stringify(chunk1),
  JSON.stringify(chunk2),
  `{"response":${JSON.stringify(chunk3.response)},\n"traceId":"t1"}`,
];

describe('decodeSse', () => {
  it('yields one payload per event of a recorded stream', async () => {
    const events = await collect(decodeSse(source([bytes(RECORDED_SSE)])));
    expect(events.map((e) => JSON.parse(e) as unknown)).toEqual([chunk1, chunk2, chunk3]);
  });

  it('joins a multi-line data field with newlines', async () => {
    expect(await collect(decodeSse(source(['data: {"a":\ndata: 1}\n\n'])))).toEqual(['{"a":\n1}']);
  });

  it('accepts data: without a space after the colon', async () => {
    expect(await collect(decodeSse(source(['data:{"a":1}\n\n'])))).toEqual(['{"a":1}']);
  });

  it('drops only the first space after the colon', async () => {
    expect(await collect(decodeSse(source(['data:  x\n\n'])))).toEqual([' x']);
  });

  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
  ])('splits lines ending in %s', async (_name, eol) => {
    const text = `data: a${eol}data: b${eol}${eol}data: c${eol}${eol}`;
    expect(await collect(decodeSse(source([text])))).toEqual(['a\nb', 'c']);
  });

  it('ignores comment lines such as heartbeats', async () => {
    expect(await collect(decodeSse(source([': ping\n\ndata: x\n: ping\n\n'])))).toEqual(['x']);
  });

  it('ignores event, id and retry fields', async () => {
    const text = 'event: message\nid: 7\nretry: 100\ndata: x\n\n';
    expect(await collect(decodeSse(source([text])))).toEqual(['x']);
  });

  it('dispatches nothing for blank lines without data', async () => {
    expect(await collect(decodeSse(source(['\n\n\r\n\nevent: x\n\n'])))).toEqual([]);
  });

  it('reads a bare "data" line as an empty data field', async () => {
    expect(await collect(decodeSse(source(['data\ndata: x\n\n'])))).toEqual(['\nx']);
  });

  it('flushes a final event that has no trailing blank line', async () => {
    expect(await collect(decodeSse(source(['data: a\n\ndata: b\n'])))).toEqual(['a', 'b']);
  });

  it('flushes a final event whose last line has no line break', async () => {
    expect(await collect(decodeSse(source(['data: a\n\ndata: b'])))).toEqual(['a', 'b']);
  });

  it('strips a leading byte-order mark', async () => {
    expect(await collect(decodeSse(source(['\ufeffdata: x\n\n'])))).toEqual(['x']);
  });

  it('reassembles a field name split across chunks', async () => {
    expect(await collect(decodeSse(source(['da', 'ta', ': x\n', '\n'])))).toEqual(['x']);
  });

  it('treats a CRLF split across chunks as one line break', async () => {
    const events = await collect(decodeSse(source(['data: a\r', '\ndata: b\r', '\n\r', '\n'])));
    expect(events).toEqual(['a\nb']);
  });

  it('keeps a lone CR at a chunk end as a line break', async () => {
    expect(await collect(decodeSse(source(['data: a\r', 'data: b\r', '\r'])))).toEqual(['a\nb']);
  });

  it('reassembles a multi-byte character split across chunks', async () => {
    const data = bytes('data: 👋\n\n');
    const emojiStart = 'data: '.length;
    const events = await collect(decodeSse(source(splitAt(data, emojiStart + 1, emojiStart + 3))));
    expect(events).toEqual(['👋']);
  });

  it('decodes a recorded stream fed one byte at a time', async () => {
    const events = await collect(decodeSse(source(oneByteAtATime(bytes(RECORDED_SSE)))));
    expect(events).toEqual(RECORDED_SSE_EVENTS);
  });

  it('decodes a recorded stream identically whichever byte it is split at', async () => {
    const data = bytes(RECORDED_SSE);
    const failures: number[] = [];
    for (let cut = 1; cut < data.length; cut++) {
      const events = await collect(decodeSse(source(splitAt(data, cut))));
      if (JSON.stringify(events) !== JSON.stringify(RECORDED_SSE_EVENTS)) failures.push(cut);
    }
    expect(failures).toEqual([]);
  });

  it('rethrows a failure of the source after the events before it', async () => {
    const seen: string[] = [];
    async function* upstream(): AsyncGenerator<string> {
      yield 'data: 1\n\n';
      throw new Error('socket hang up');
    }
    const consumed = (async () => {
      for await (const event of decodeSse(upstream())) seen.push(event);
    })();
    await expect(consumed).rejects.toThrow('socket hang up');
    expect(seen).toEqual(['1']);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* upstream(): AsyncGenerator<string> {
      try {
        yield 'data: 1\n\n';
        yield 'data: 2\n\n';
      } finally {
        closed = true;
      }
    }
    for await (const _event of decodeSse(upstream())) break;
    expect(closed).toBe(true);
  });
});

// Shaped like `streamGenerateContent` without alt=sse from the Gemini API: a JSON array whose
// elements arrive separated by "\r\n,", with strings that hold brackets, escapes and emoji.
const element1 = {
  candidates: [{ content: { parts: [{ text: 'if (a) { b["}"] = "]"; }' }], role: 'model' } }],
};
const element2 = {
  candidates: [{ content: { parts: [{ text: 'say \\"hi\\" \\\\ 😀 ü' }], role: 'model' } }],
};
const element3 = { candidates: [{ finishReason: 'STOP' }], usageMetadata: { totalTokenCount: 12 } };
const RECORDED_ARRAY = `[${JSON.stringify(element1)}\r\n,${JSON.stringify(element2)}\r\n,${JSON.stringify(element3)}]`;
const RECORDED_ELEMENTS = [element1, element2, element3].map((e) => JSON.stringify(e));

describe('decodeJsonArrayStream', () => {
  it('yields the raw text of each element of a recorded stream', async () => {
    expect(await collect(decodeJsonArrayStream(source([bytes(RECORDED_ARRAY)])))).toEqual(
      RECORDED_ELEMENTS,
    );
  });

  it('ignores brackets and braces inside strings', async () => {
    const text = '[{"t":"}]{["},{"u":"]"}]';
    expect(await collect(decodeJsonArrayStream(source([text])))).toEqual([
      '{"t":"}]{["}',
      '{"u":"]"}',
    ]);
  });

  it('ignores escaped quotes and backslashes inside strings', async () => {
    const text = String.raw`[{"t":"a\"}\\"},{"u":"\\"}]`;
    expect(await collect(decodeJsonArrayStream(source([text])))).toEqual([
      String.raw`{"t":"a\"}\\"}`,
      String.raw`{"u":"\\"}`,
    ]);
  });

  it('yields bare numbers, strings and literals as elements', async () => {
    const text = '[1, "a,]", true ,null,[2]]';
    expect(await collect(decodeJsonArrayStream(source([text])))).toEqual([
      '1',
      '"a,]"',
      'true',
      'null',
      '[2]',
    ]);
  });

  it('yields nothing for an empty array', async () => {
    expect(await collect(decodeJsonArrayStream(source(['[ \r\n]'])))).toEqual([]);
  });

  it('reassembles a multi-byte character split across chunks', async () => {
    const data = bytes('[{"t":"😀"}]');
    const emojiStart = '[{"t":"'.length;
    const elements = await collect(decodeJsonArrayStream(source(splitAt(data, emojiStart + 2))));
    expect(elements).toEqual(['{"t":"😀"}']);
  });

  it('yields an element as soon as it closes, before later chunks are read', async () => {
    const seen: string[] = [];
    async function* upstream(): AsyncGenerator<string> {
      yield '[{"a":1}';
      seen.push('second chunk pulled');
      yield ',{"b":2}]';
    }
    for await (const element of decodeJsonArrayStream(upstream())) seen.push(element);
    expect(seen).toEqual(['{"a":1}', 'second chunk pulled', '{"b":2}']);
  });

  it('decodes a recorded stream fed one byte at a time', async () => {
    const elements = await collect(
      decodeJsonArrayStream(source(oneByteAtATime(bytes(RECORDED_ARRAY)))),
    );
    expect(elements).toEqual(RECORDED_ELEMENTS);
  });

  it('decodes a recorded stream identically whichever byte it is split at', async () => {
    const data = bytes(RECORDED_ARRAY);
    const failures: number[] = [];
    for (let cut = 1; cut < data.length; cut++) {
      const elements = await collect(decodeJsonArrayStream(source(splitAt(data, cut))));
      if (JSON.stringify(elements) !== JSON.stringify(RECORDED_ELEMENTS)) failures.push(cut);
    }
    expect(failures).toEqual([]);
  });

  it('fails with a protocol error when the stream ends inside the array', async () => {
    const consumed = collect(decodeJsonArrayStream(source(['[{"a":1},{"b":'])));
    await expect(consumed).rejects.toMatchObject({ failure: 'protocol' });
  });

  it('fails with a protocol error when the body is not an array', async () => {
    const consumed = collect(decodeJsonArrayStream(source(['{"error":{}}'])));
    await expect(consumed).rejects.toBeInstanceOf(UpstreamNetworkError);
  });

  it('fails with a protocol error on a stray closing brace', async () => {
    const consumed = collect(decodeJsonArrayStream(source(['[{"a":1},}]'])));
    await expect(consumed).rejects.toMatchObject({ failure: 'protocol' });
  });
});
