import OpenAI, { APIError, BadRequestError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FakeGoogle } from './fake-google/fake-google';
import { badRequest } from './fake-google/google-errors';
import { THOUGHT_TEXT } from './fake-google/model-replies';
import { useOpenAIPool } from './support/openai-sdk';
import { RunningProxy, TEST_PASSWORD } from './support/proxy';

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let openai: OpenAI;

  useOpenAIPool((pool) => ({ fake, proxy, openai } = pool));

  describe('with an API-key pool', () => {
    describe('streaming', () => {
      it('streams chunks that add up to the answer and ends with a finish reason', async () => {
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'stream me please' }],
          stream: true,
        });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        expect(chunks.length).toBeGreaterThan(2);
        expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
        expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
        expect(chunks[0].choices[0].delta.role).toBe('assistant');
        const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
        expect(text).toBe('Hello from gemini-2.5-flash: stream me please');
        expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
        expect(chunks.some((c) => c.usage)).toBe(false);
      });

      it('streams thoughts as reasoning_content deltas', async () => {
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'think aloud' }],
          stream: true,
        });
        let reasoning = '';
        for await (const chunk of stream) {
          reasoning +=
            (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)
              ?.reasoning_content ?? '';
        }
        expect(reasoning).toBe(THOUGHT_TEXT);
      });

      it('ends the stream with a usage chunk when include_usage is asked for', async () => {
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'count me' }],
          stream: true,
          stream_options: { include_usage: true },
        });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const last = chunks[chunks.length - 1];
        expect(last.choices).toEqual([]);
        expect(last.usage).toMatchObject({
          prompt_tokens: expect.any(Number),
          completion_tokens: expect.any(Number),
        });
        expect(last.usage!.total_tokens).toBeGreaterThan(0);
        expect(last.usage!.completion_tokens_details?.reasoning_tokens).toBe(3);
      });

      it('ends the raw stream with data: [DONE]', async () => {
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
            stream: true,
          }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const text = await res.text();
        expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      });

      it('answers a failure before the first byte with a real status', async () => {
        fake.failNext(badRequest('Invalid value at contents[0].parts[0]'));
        const attempt = openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'x' }],
          stream: true,
        });
        await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
      });

      it('reports a failure after the first byte as an error event the SDK raises', async () => {
        fake.failNext({ kind: 'cutMidStream', afterEvents: 1 }, { model: 'gemini-2.5-flash-lite' });
        const stream = await openai.chat.completions.create({
          model: 'gemini-2.5-flash-lite',
          messages: [{ role: 'user', content: 'one two three four five six' }],
          stream: true,
        });
        const texts: string[] = [];
        const consume = async () => {
          for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? '');
        };
        const error = await consume().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(texts.join('')).not.toBe('');
        expect(error).toBeInstanceOf(APIError);
        expect((error as APIError).message).not.toBe('');
      });

      it('cancels the upstream call when the client hangs up', async () => {
        fake.failNext({ kind: 'hang' }, { model: 'gemini-2.5-flash-lite' });
        const controller = new AbortController();
        const attempt = openai.chat.completions
          .create(
            {
              model: 'gemini-2.5-flash-lite',
              messages: [{ role: 'user', content: 'x' }],
              stream: true,
            },
            { signal: controller.signal },
          )
          .catch((e: unknown) => e);
        await fake.waitForRequest((r) => r.model === 'gemini-2.5-flash-lite');
        controller.abort();
        await attempt;
        const aborted = await fake.waitForAbort((r) => r.model === 'gemini-2.5-flash-lite');
        expect(aborted.action).toBe('streamGenerateContent');
      });

      it('writes that failure as a final error frame in OpenAI’s shape, without [DONE]', async () => {
        fake.failNext({ kind: 'cutMidStream', afterEvents: 1 }, { model: 'gemini-2.5-flash-lite' });
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gemini-2.5-flash-lite',
            messages: [{ role: 'user', content: 'one two three four five six' }],
            stream: true,
          }),
        });
        expect(res.status).toBe(200);
        const frames = (await res.text())
          .split('\n\n')
          .filter((f) => f.startsWith('data: '))
          .map((f) => f.slice('data: '.length));
        expect(frames).not.toContain('[DONE]');
        expect(JSON.parse(frames[0])).toMatchObject({ object: 'chat.completion.chunk' });
        expect(JSON.parse(frames[frames.length - 1])).toEqual({
          error: { message: expect.any(String), type: expect.any(String), param: null, code: null },
        });
      });
    });
  });
});
