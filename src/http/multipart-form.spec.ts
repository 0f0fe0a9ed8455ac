import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';
import { BodyBudget } from './body-budget';
import { streamBody } from './body-reader';
import { MultipartForm, multipartSink } from './multipart-form';

const BOUNDARY = 'test-boundary';
const headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

function form(parts: { name: string; value: string | Buffer; filename?: string }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename
      ? `form-data; name="${part.name}"; filename="${part.filename}"`
      : `form-data; name="${part.name}"`;
    const type = part.filename ? '\r\nContent-Type: application/octet-stream' : '';
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

async function parse(body: Buffer): Promise<MultipartForm> {
  const sink = multipartSink(headers);
  // Byte by byte in places: busboy must cope with any chunking.
  for (let i = 0; i < body.length; i += 7) sink.write(body.subarray(i, i + 7));
  return sink.end();
}

describe('multipartSink', () => {
  it('gives text fields (the last of a repeated one) and files with their bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 13, 10, 45, 45]);
    const parsed = await parse(
      form([
        { name: 'model', value: 'whisper-1' },
        { name: 'n', value: '1' },
        { name: 'n', value: '2' },
        { name: 'image[]', value: bytes, filename: 'a.png' },
        { name: 'image[]', value: bytes, filename: 'b.png' },
      ]),
    );
    expect(parsed.field('model')).toBe('whisper-1');
    expect(parsed.field('n')).toBe('2');
    expect(parsed.filesOf('image[]').map((f) => [f.filename, f.data])).toEqual([
      ['a.png', bytes],
      ['b.png', bytes],
    ]);
  });

  it('refuses a content type without a boundary with a 400', () => {
    expect(() => multipartSink({ 'content-type': 'multipart/form-data' })).toThrow(ApiError);
  });

  it('refuses a form with more files than any media route takes', async () => {
    const parts = Array.from({ length: 17 }, (_, i) => ({
      name: 'image[]',
      value: 'x',
      filename: `${i}.png`,
    }));
    await expect(parse(form(parts))).rejects.toMatchObject({ status: 400 });
  });

  it('refuses a body cut before its closing boundary', async () => {
    const whole = form([{ name: 'file', value: 'abc', filename: 'a.wav' }]);
    await expect(parse(whole.subarray(0, whole.length - 20))).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('streamBody with a multipart sink', () => {
  it('holds the bytes in the body budget while parsing and gives them back after', async () => {
    const body = form([{ name: 'file', value: Buffer.alloc(10_000, 1), filename: 'a.wav' }]);
    const req = Object.assign(new PassThrough(), {
      headers: { ...headers, 'content-length': String(body.length) },
      complete: true,
    }) as unknown as IncomingMessage & PassThrough;
    const budget = new BodyBudget(1_000_000);
    const parsed = streamBody(req, { limitBytes: 100_000, idleMs: 5_000, totalMs: 5_000 }, budget, {
      ...multipartSink(headers),
    });
    req.write(body.subarray(0, 5_000));
    await new Promise((resolve) => setImmediate(resolve));
    expect(budget.inFlight).toBe(5_000);
    req.end(body.subarray(5_000));
    expect((await parsed).filesOf('file')[0].data.length).toBe(10_000);
    expect(budget.inFlight).toBe(0);
  });
});
