import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGoogle } from './fake-google/fake-google';
import { AUTH, chat, JSON_AUTH, nativeUrl, poolStatus, userTurn } from './support/pool-harness';
import { DIALECTS, post, responsesBody } from './support/dialects';
import { RunningProxy, startTestProxy } from './support/proxy';
import { waitFor } from './support/wait';

const KEY = 'AIzaBoundedInputKeyAAAAAAAAAAAAAAAAAAAAA';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** An image server that counts fetches, how many run at once, and which the proxy abandoned. */
class ImageServer {
  started = 0;
  closedEarly = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** ms before each answer; -1 holds it until release() or until the proxy hangs up. */
  delayMs = 0;
  bodyBytes = PNG.length;
  /**
   * Bumped by reset() and written into every image URL: a fetch of an earlier test never counts
   * toward the next, however late it arrives or closes.
   */
  private epoch = 0;
  private held: (() => void)[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    Object.assign(this, { started: 0, closedEarly: 0, inFlight: 0, maxInFlight: 0, delayMs: 0 });
    this.bodyBytes = PNG.length;
    this.held = [];
    this.epoch += 1;
  }

  /** Answers the fetches held so far (`delayMs = -1`). */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (!req.url?.startsWith(`/e${this.epoch}/`)) {
      // An earlier test's fetch, arriving late: answered, never counted.
      res.writeHead(404).end();
      return;
    }
    this.started += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let answered = false;
    const epoch = this.epoch;
    res.on('close', () => {
      if (epoch !== this.epoch) return;
      this.inFlight -= 1;
      if (!answered) this.closedEarly += 1;
    });
    const answer = () => {
      if (res.destroyed) return;
      answered = true;
      const body = this.bodyBytes === PNG.length ? PNG : Buffer.alloc(this.bodyBytes);
      res.writeHead(200, { 'content-type': 'image/png' }).end(body);
    };
    if (this.delayMs >= 0) setTimeout(answer, this.delayMs);
    else this.held.push(answer);
  }

  urls(n: number): string[] {
    return Array.from({ length: n }, (_, i) => `${this.url}/e${this.epoch}/img-${i}.png`);
  }

  images(n: number): { type: 'image_url'; image_url: { url: string } }[] {
    return Array.from({ length: n }, (_, i) => ({
      type: 'image_url' as const,
      image_url: { url: `${this.url}/e${this.epoch}/img-${i}.png` },
    }));
  }
}

/** `levels` definitions, each holding two references to the next: 2^levels leaves once inlined. */
function doublingChainTool(levels: number) {
  const $defs: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) {
    const next = { $ref: `#/$defs/d${i + 1}` };
    $defs[`d${i}`] = { type: 'object', properties: { a: next, b: next } };
  }
  $defs[`d${levels}`] = { type: 'string', description: 'a leaf of the chain' };
  return {
    type: 'function',
    function: {
      name: 'chained',
      parameters: { type: 'object', $defs, properties: { root: { $ref: '#/$defs/d0' } } },
    },
  };
}

/** `levels` definitions, each holding two references to the next, as a schema of its own. */
function doublingChainSchema(levels: number): Record<string, unknown> {
  return doublingChainTool(levels).function.parameters;
}

describe('bounded cost for every input', () => {
  let fake: FakeGoogle;
  let images: ImageServer;
  let proxy: RunningProxy;
  /** The same, fetching at most two URLs per request. */
  let strict: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    images = new ImageServer();
    await images.start();
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      MEDIA_FETCH_ALLOW_PRIVATE: 'true',
      MEDIA_FETCH_MAX_URLS: '8',
      MEDIA_FETCH_MAX_TOTAL_BYTES: '100000',
      MEDIA_FETCH_CONCURRENCY: '4',
    });
    strict = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      MEDIA_FETCH_ALLOW_PRIVATE: 'true',
      MEDIA_FETCH_MAX_URLS: '2',
    });
  });

  afterAll(async () => {
    await strict?.close();
    await proxy?.close();
    await images?.close();
    await fake?.close();
  });

  beforeEach(() => {
    fake.reset();
    images.reset();
  });

  const generateCalls = () => fake.requests.filter((r) => r.action === 'generateContent');
  const upstreamCalls = () =>
    fake.requests.filter((r) => ['generateContent', 'countTokens'].includes(String(r.action)));

  describe.each(DIALECTS)('on $name ($path)', (dialect) => {
    it('refuses five image URLs past MEDIA_FETCH_MAX_URLS=2 with a 400, fetching none', async () => {
      const res = await post(strict, dialect.path, dialect.withImages(images.urls(5)));
      expect(res.status).toBe(400);
      expect(dialect.errorMessage(await res.json())).toMatch(
        /at most 2 per request \(MEDIA_FETCH_MAX_URLS\)/,
      );
      expect(images.started).toBe(0);
      expect(upstreamCalls()).toHaveLength(0);
    });

    it('refuses images past MEDIA_FETCH_MAX_TOTAL_BYTES with a 400 naming it', async () => {
      images.bodyBytes = 30_000;
      const res = await post(proxy, dialect.path, dialect.withImages(images.urls(5)));
      expect(res.status).toBe(400);
      expect(dialect.errorMessage(await res.json())).toMatch(
        /may total at most 100000 bytes \(MEDIA_FETCH_MAX_TOTAL_BYTES\)/,
      );
      expect(upstreamCalls()).toHaveLength(0);
    });

    it('fetches a few at a time and stops fetching when the client hangs up', async () => {
      images.delayMs = -1;
      const client = new AbortController();
      const pending = post(proxy, dialect.path, dialect.withImages(images.urls(8)), {
        signal: client.signal,
      });
      await waitFor(() => images.started === 4, 5_000, 'the first fetches to start');
      client.abort();
      await expect(pending).rejects.toThrow();
      await waitFor(() => images.closedEarly === 4, 5_000, 'the proxy to drop its fetches');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(images.started).toBe(4);
      expect(images.inFlight).toBe(0);
      expect(upstreamCalls()).toHaveLength(0);
    });

    it('charges every tool schema of a request to one budget, and /health keeps answering', async () => {
      // Each expands to ~12,000 nodes: one fits the 50,000-node budget, eight together do not.
      const tool = (k: number) => ({ name: `chained_${k}`, schema: doublingChainSchema(11) });
      const one = await post(proxy, dialect.path, dialect.withTools([tool(0)]));
      expect(one.status).toBe(200);
      fake.reset();

      const started = Date.now();
      const many = post(proxy, dialect.path, dialect.withTools([0, 1, 2, 3, 4, 5, 6, 7].map(tool)));
      const health = await fetch(`${proxy.url}/health`, { headers: AUTH });
      expect(health.status).toBe(200);
      const res = await many;
      expect(res.status).toBe(400);
      expect(dialect.errorMessage(await res.json())).toMatch(/expand to more than 50000 nodes/);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(upstreamCalls()).toHaveLength(0);
    });

    it('answers a $ref it cannot follow with a 400 in the dialect, not a 500', async () => {
      const schema = { type: 'object', properties: { a: { $ref: '#/%E0' } } };
      const res = await post(proxy, dialect.path, dialect.withTools([{ name: 'bad', schema }]));
      expect(res.status).toBe(400);
      expect(dialect.errorMessage(await res.json())).toMatch(/not a valid JSON pointer/);
      expect(upstreamCalls()).toHaveLength(0);
    });
  });

  describe('previous_response_id', () => {
    it('does not fetch the media of earlier turns again', async () => {
      const first = await post(proxy, '/v1/responses', responsesBody.withImages(images.urls(2)));
      expect(first.status).toBe(200);
      expect(images.started).toBe(2);
      const { id } = (await first.json()) as { id: string };

      const second = await post(proxy, '/v1/responses', {
        model: 'gemini-2.5-flash',
        previous_response_id: id,
        input: 'and now?',
      });
      expect(second.status).toBe(200);
      expect(images.started).toBe(2);
      // The earlier images still reach the model.
      const sent = JSON.stringify(generateCalls()[1].body);
      expect(sent.match(/"inlineData"/g)).toHaveLength(2);
    });
  });

  describe('tool schemas', () => {
    it('answers a chained $ref schema with a 400 naming the limit, quickly, sending nothing to Google', async () => {
      const started = Date.now();
      const bodyText = JSON.stringify({ tools: [doublingChainTool(18)] });
      expect(bodyText.length).toBeLessThan(5_000);
      const res = await chat(proxy, { tools: [doublingChainTool(18)] });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { message: string; param: string } };
      expect(error.param).toBe('tools[0].function.parameters');
      expect(error.message).toMatch(/expand to more than 50000 nodes/);
      expect(generateCalls()).toHaveLength(0);
    });

    it('sends a chained $ref schema that fits the budget as a small body', async () => {
      const res = await chat(proxy, { tools: [doublingChainTool(8)] });
      expect(res.status).toBe(200);
      expect(JSON.stringify(generateCalls()[0].body).length).toBeLessThan(100_000);
    });

    it('answers a $ref with bad percent-encoding with a 400, not a 500', async () => {
      const res = await chat(proxy, {
        tools: [
          {
            type: 'function',
            function: {
              name: 'bad',
              parameters: { type: 'object', properties: { a: { $ref: '#/%E0' } } },
            },
          },
        ],
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /not a valid JSON pointer/,
      );
    });
  });

  describe('JSON embedded as text', () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };

    it('answers a tool result holding 20,000-deep JSON, cooling no credential', async () => {
      const res = await chat(proxy, {
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', tool_calls: [call] },
          { role: 'tool', tool_call_id: 'c1', content: deep },
        ],
      });
      expect(res.status).toBe(200);
      expect((await poolStatus(proxy)).summary).toMatchObject({ ok: 1, cooling: 0 });
    });

    it('answers tool-call arguments nested 20,000 deep with a 400', async () => {
      const res = await chat(proxy, {
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            tool_calls: [{ ...call, function: { name: 'f', arguments: deep } }],
          },
        ],
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { param: 'messages[1].tool_calls[0].function.arguments' },
      });
      expect((await poolStatus(proxy)).summary).toMatchObject({ ok: 1, cooling: 0 });
    });
  });

  describe('JSON embedded as text on /v1/responses', () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);

    it('answers function_call arguments nested 20,000 deep with a 400', async () => {
      const res = await post(proxy, '/v1/responses', {
        model: 'gemini-2.5-flash',
        input: [
          { role: 'user', content: 'go' },
          { type: 'function_call', call_id: 'c1', name: 'f', arguments: deep },
          { type: 'function_call_output', call_id: 'c1', output: 'done' },
        ],
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { param: 'input[1].arguments' } });
      expect(upstreamCalls()).toHaveLength(0);
    });
  });

  describe('model names', () => {
    it('answers %25E0 as the native model segment with a Google-shaped 400', async () => {
      const res = await fetch(nativeUrl(proxy, '%25E0', 'generateContent'), {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify(userTurn('hi')),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    });

    const ODD_NAMES = [
      ['a 300-character name', 'g'.repeat(300)],
      ['a name with a space', 'gemini 2.5 flash'],
      ['a name with odd unicode', 'gemini\u202e-2.5'],
    ];

    it.each(ODD_NAMES)('refuses %s on /v1/chat/completions with a 400', async (_, model) => {
      const res = await chat(proxy, { model });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { param: 'model' } });
      expect(generateCalls()).toHaveLength(0);
    });

    it.each(ODD_NAMES)('refuses %s on /v1/embeddings with a 400', async (_, model) => {
      const res = await fetch(`${proxy.url}/v1/embeddings`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({ model, input: 'x' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { param: 'model' } });
      expect(fake.requests.filter((r) => r.action === 'batchEmbedContents')).toHaveLength(0);
    });

    it.each(ODD_NAMES)('refuses %s on GET /v1beta/models/{model} with a 400', async (_, model) => {
      const res = await fetch(`${proxy.url}/v1beta/models/${encodeURIComponent(model)}`, {
        headers: AUTH,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    });

    it.each(ODD_NAMES)('refuses %s in the native path with a 400', async (_, model) => {
      const res = await fetch(nativeUrl(proxy, encodeURIComponent(model), 'generateContent'), {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify(userTurn('hi')),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
      expect(generateCalls()).toHaveLength(0);
    });
  });

  describe('image URLs', () => {
    const withImages = (parts: unknown[]) => ({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, ...parts] }],
    });

    it('fetches at most four at a time', async () => {
      // Held, so that four are in flight at once however slowly a busy machine starts them.
      images.delayMs = -1;
      const pending = chat(proxy, withImages(images.images(8)));
      await waitFor(() => images.started === 4, 5_000, 'the first four fetches to start');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(images.started).toBe(4);
      images.delayMs = 0;
      images.release();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(images.started).toBe(8);
      expect(images.maxInFlight).toBe(4);
    });

    it('refuses more URLs than MEDIA_FETCH_MAX_URLS with a 400 naming it, fetching none', async () => {
      const res = await chat(proxy, withImages(images.images(9)));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /at most 8 per request \(MEDIA_FETCH_MAX_URLS\)/,
      );
      expect(images.started).toBe(0);
      expect(generateCalls()).toHaveLength(0);
    });

    it('refuses images past MEDIA_FETCH_MAX_TOTAL_BYTES with a 400 naming it', async () => {
      images.bodyBytes = 30_000;
      const res = await chat(proxy, withImages(images.images(5)));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /may total at most 100000 bytes \(MEDIA_FETCH_MAX_TOTAL_BYTES\)/,
      );
      expect(generateCalls()).toHaveLength(0);
    });

    it('stops fetching when the client hangs up', async () => {
      images.delayMs = -1;
      const client = new AbortController();
      const pending = chat(proxy, withImages(images.images(8)), { signal: client.signal });
      await waitFor(() => images.started === 4, 5_000, 'the first fetches to start');
      client.abort();
      await expect(pending).rejects.toThrow();
      await waitFor(() => images.closedEarly === 4, 5_000, 'the proxy to drop its fetches');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(images.started).toBe(4);
      expect(images.inFlight).toBe(0);
      expect(generateCalls()).toHaveLength(0);
    });
  });

  it('keeps answering normal requests afterwards', async () => {
    const res = await chat(proxy, {});
    expect(res.status).toBe(200);
    expect((await fetch(`${proxy.url}/health`, { headers: AUTH })).status).toBe(200);
  });
});
