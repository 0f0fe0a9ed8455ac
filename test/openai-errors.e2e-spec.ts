import OpenAI, {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import type { FakeGoogle } from './fake-google/fake-google';
import {
  badRequest,
  permissionDenied,
  rateLimited,
  serverError,
} from './fake-google/google-errors';
import { modelCallsTo } from './support/model-calls';
import { client, KEY_A, KEY_B, KEY_SOLO, startOpenAIFake } from './support/openai-sdk';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;

  /** The bodies Google received for model calls, oldest first. */
  const modelCalls = () => modelCallsTo(fake);

  beforeAll(async () => {
    fake = await startOpenAIFake();
  });

  afterAll(async () => {
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  describe('with an API-key pool', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
      openai = client(proxy);
    });

    afterAll(async () => {
      await proxy.close();
    });

    describe('errors', () => {
      it('raises AuthenticationError for a wrong password', async () => {
        const error = await client(proxy, 'wrong-password')
          .chat.completions.create({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthenticationError);
        expect((error as AuthenticationError).type).toBe('authentication_error');
      });

      it('raises BadRequestError with Google’s message for Google’s 400', async () => {
        fake.failNext(badRequest('Invalid value at contents[0].parts[0].text'));
        const error = await openai.chat.completions
          .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).message).toContain(
          'Invalid value at contents[0].parts[0].text',
        );
        expect((error as BadRequestError).type).toBe('invalid_request_error');
      });

      it('raises BadRequestError naming the param for a malformed request', async () => {
        const error = await openai.chat.completions
          .create({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'robot', content: 'x' } as never],
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).param).toBe('messages[0].role');
        expect(modelCalls()).toHaveLength(0);
      });

      it.each([
        ['missing messages', { model: 'gemini-2.5-flash' }, 'messages'],
        ['empty messages', { model: 'gemini-2.5-flash', messages: [] }, 'messages'],
        [
          'a string temperature',
          {
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
            temperature: 'hot',
          },
          'temperature',
        ],
        [
          'n of zero',
          { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }], n: 0 },
          'n',
        ],
        [
          'an unknown response_format',
          {
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'x' }],
            response_format: { type: 'yaml' },
          },
          'response_format.type',
        ],
      ])('answers %s with a 400 naming the field', async (_name, body, param) => {
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error: {
            message: expect.any(String),
            type: 'invalid_request_error',
            param,
            code: expect.any(String),
          },
        });
      });

      it('answers invalid JSON with a 400 in OpenAI’s shape', async () => {
        const res = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
          body: '{"model": "gemini-2.5-flash", "messages": [',
        });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { message: string; type: string } };
        expect(body.error).toMatchObject({
          type: 'invalid_request_error',
          message: expect.stringMatching(/JSON/),
        });
      });

      it('tolerates fields it does not use', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'extras' }],
          logprobs: false,
          metadata: { run: '1' },
          store: false,
          service_tier: 'auto',
          some_future_field: { a: 1 },
        } as never);
        expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: extras');
      });
    });
  });

  describe('errors that change the pool', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeEach(async () => {
      proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY_SOLO });
      openai = client(proxy);
    });

    afterEach(async () => {
      await proxy.close();
    });

    const ask = () =>
      openai.chat.completions
        .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);

    it('raises RateLimitError with Retry-After when every key is cooling', async () => {
      fake.failNext(rateLimited(30));
      const error = await ask();
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).message).toContain('Your quota will reset after 30s');
      expect(Number((error as RateLimitError).headers?.get('retry-after'))).toBeGreaterThanOrEqual(
        29,
      );
    });

    it('raises PermissionDeniedError with Google’s message for a 403', async () => {
      fake.failNext(
        permissionDenied(
          'SERVICE_DISABLED',
          'Generative Language API has not been used in project 42.',
        ),
      );
      const error = await ask();
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as PermissionDeniedError).message).toContain(
        'Generative Language API has not been used',
      );
    });

    it('raises InternalServerError with Google’s message for a 5xx', async () => {
      fake.failNext(serverError(500), { times: 3 });
      const error = await ask();
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).message).toContain('Internal error encountered.');
    });
  });
});
