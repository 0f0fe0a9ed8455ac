import OpenAI, { InternalServerError } from 'openai';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGoogle } from './fake-google/fake-google';
import { modelCallsTo } from './support/model-calls';
import { client, startOpenAIFake } from './support/openai-sdk';
import { health, RunningProxy, startTestProxy } from './support/proxy';
import { waitFor } from './support/wait';

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;

  const lastModelCall = () => modelCallsTo(fake).at(-1)!;

  beforeAll(async () => {
    fake = await startOpenAIFake();
  });

  afterAll(async () => {
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  describe('with an OAuth pool on Code Assist', () => {
    let proxy: RunningProxy;
    let openai: OpenAI;

    beforeAll(async () => {
      proxy = await startTestProxy({ ...fake.env() });
      writeFileSync(
        path.join(proxy.credentialsDir, 'oauth_creds_ada_example_com_proj-ada.json'),
        JSON.stringify({
          refresh_token: 'rt-ada-0000011111',
          project_id: 'proj-ada',
          user_email: 'ada@example.com',
        }),
        { mode: 0o600 },
      );
      await waitFor(async () => (await health(proxy)).credentials === 1);
      openai = client(proxy);
    });

    afterAll(async () => {
      await proxy.close();
    });

    it('answers a chat completion through Code Assist', async () => {
      const res = await openai.chat.completions.create({
        model: 'gemini-2.5-pro',
        messages: [{ role: 'user', content: 'via code assist' }],
      });
      expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-pro: via code assist');
      const sent = lastModelCall();
      expect(sent.api).toBe('code-assist');
      expect(sent.body).toMatchObject({
        model: 'gemini-2.5-pro',
        project: 'proj-ada',
        request: { contents: expect.any(Array) },
      });
    });

    it('streams through Code Assist', async () => {
      const stream = await openai.chat.completions.create({
        model: 'gemini-2.5-pro',
        messages: [{ role: 'user', content: 'stream via code assist' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hello from gemini-2.5-pro: stream via code assist');
    });

    it('explains that embeddings need an API key', async () => {
      const error = await openai.embeddings
        .create({ model: 'gemini-embedding-001', input: 'x' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).status).toBe(503);
      expect((error as InternalServerError).message).toMatch(/GEMINI_API_KEYS/);
    });
  });
});
