import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { FakeGoogle } from './fake-google/fake-google';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const KEY = 'AIzaFakeKeyAAAAAAAAAAAAAAAAAAAAAAAAaaaaa';
const ALIASES = {
  'gpt-5': 'gemini-2.5-pro',
  'claude-*': 'gemini-2.5-flash',
};

describe('MODEL_ALIASES', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  const modelCalls = () =>
    fake.requests.filter(
      (r) => r.action === 'generateContent' || r.action === 'streamGenerateContent',
    );

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      MODEL_ALIASES: JSON.stringify(ALIASES),
    });
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  beforeEach(() => fake.reset());

  it('sends an aliased chat completion to Google under the Gemini name and answers with the asked name', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: TEST_PASSWORD, maxRetries: 0 });
    const res = await openai.chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(modelCalls().map((r) => r.model)).toEqual(['gemini-2.5-pro']);
    expect(res.model).toBe('gpt-5');
    expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-pro: hi');
  });

  it('sends an aliased Responses request to Google under the Gemini name and answers with the asked name', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: TEST_PASSWORD, maxRetries: 0 });
    const res = await openai.responses.create({ model: 'gpt-5', input: 'hi', store: false });
    expect(modelCalls().map((r) => r.model)).toEqual(['gemini-2.5-pro']);
    expect(res.model).toBe('gpt-5');
    expect(res.output_text).toBe('Hello from gemini-2.5-pro: hi');
  });

  it('sends a native request with an aliased path model to Google under the Gemini name', async () => {
    const genai = new GoogleGenAI({ apiKey: TEST_PASSWORD, httpOptions: { baseUrl: proxy.url } });
    const res = await genai.models.generateContent({ model: 'claude-haiku-4-5', contents: 'yo' });
    expect(modelCalls().map((r) => r.model)).toEqual(['gemini-2.5-flash']);
    expect(res.text).toBe('Hello from gemini-2.5-flash: yo');
  });

  it('lists exact aliases on both model routes, and not the patterns', async () => {
    const auth = { authorization: `Bearer ${TEST_PASSWORD}` };
    const openai = (await (await fetch(`${proxy.url}/v1/models`, { headers: auth })).json()) as {
      data: { id: string }[];
    };
    const native = (await (
      await fetch(`${proxy.url}/v1beta/models`, { headers: auth })
    ).json()) as {
      models: { name: string; baseModelId?: string }[];
    };
    expect(openai.data.map((m) => m.id)).toContain('gpt-5');
    expect(openai.data.map((m) => m.id)).not.toContain('claude-*');
    expect(native.models).toContainEqual(
      expect.objectContaining({ name: 'models/gpt-5', baseModelId: 'gemini-2.5-pro' }),
    );
    const one = await fetch(`${proxy.url}/v1/models/gpt-5`, { headers: auth });
    expect(one.status).toBe(200);
  });
});
