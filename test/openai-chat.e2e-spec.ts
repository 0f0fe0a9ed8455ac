import OpenAI from 'openai';
import type { FakeGoogle } from './fake-google/fake-google';
import { THOUGHT_TEXT } from './fake-google/model-replies';
import { Body, modelCallsTo } from './support/model-calls';
import { PNG, useOpenAIPool, textAnswer } from './support/openai-sdk';

describe('OpenAI API through the openai SDK', () => {
  let fake: FakeGoogle;
  let openai: OpenAI;

  const lastModelCall = () => modelCallsTo(fake).at(-1)!;

  useOpenAIPool((pool) => ({ fake, openai } = pool));

  describe('with an API-key pool', () => {
    describe('chat completions', () => {
      it('answers a chat completion', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'hi there' }],
        });
        expect(res.object).toBe('chat.completion');
        expect(res.model).toBe('gemini-2.5-flash');
        expect(res.choices).toHaveLength(1);
        expect(res.choices[0].message.role).toBe('assistant');
        expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: hi there');
        expect(res.choices[0].finish_reason).toBe('stop');
        expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
        expect(res.usage?.total_tokens).toBeGreaterThan(res.usage!.prompt_tokens);
      });

      it('returns thoughts as reasoning_content and counts them as reasoning tokens', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'think' }],
        });
        const message = res.choices[0].message as (typeof res.choices)[0]['message'] & {
          reasoning_content?: string;
        };
        expect(message.reasoning_content).toBe(THOUGHT_TEXT);
        expect(message.content).toBe('Hello from gemini-2.5-flash: think');
        expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);
      });

      it('sends system and developer messages as the system instruction', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'developer', content: 'Use French.' },
            { role: 'user', content: 'hello' },
          ],
        });
        const seen = lastModelCall().body;
        expect(seen.systemInstruction.parts.map((p: Body) => p.text)).toEqual([
          'Be brief.',
          'Use French.',
        ]);
        expect(seen.contents).toEqual([{ role: 'user', parts: [{ text: 'hello' }] }]);
      });

      it('maps sampling options onto generationConfig', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'x' }],
          temperature: 0.3,
          top_p: 0.8,
          max_completion_tokens: 256,
          stop: 'END',
          seed: 42,
        });
        expect(lastModelCall().body.generationConfig).toMatchObject({
          temperature: 0.3,
          topP: 0.8,
          maxOutputTokens: 256,
          stopSequences: ['END'],
          seed: 42,
        });
      });

      it('answers n choices from n candidates', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'two please' }],
          n: 2,
        });
        expect(res.choices.map((c) => [c.index, c.message.content])).toEqual([
          [0, 'Hello from gemini-2.5-flash: two please'],
          [1, 'Hello from gemini-2.5-flash: two please #1'],
        ]);
        expect(lastModelCall().body.generationConfig.candidateCount).toBe(2);
      });

      it('sends a data-URL image as inline data', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'what is this' },
                { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
              ],
            },
          ],
        });
        expect(res.choices[0].message.content).toBe('Hello from gemini-2.5-flash: what is this');
        const parts = lastModelCall().body.contents[0].parts as Body[];
        expect(parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: PNG } });
      });

      it('asks Gemini for JSON matching a json_schema response format', async () => {
        fake.enqueue({ response: textAnswer('{"name":"Ada","born":1815}') });
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'Who wrote the first program?' }],
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'person',
              strict: true,
              schema: {
                type: 'object',
                properties: { name: { type: 'string' }, born: { type: 'integer' } },
                required: ['name', 'born'],
                additionalProperties: false,
              },
            },
          },
        });
        expect(JSON.parse(res.choices[0].message.content!)).toEqual({ name: 'Ada', born: 1815 });
        const config = lastModelCall().body.generationConfig as Body;
        expect(config.responseMimeType).toBe('application/json');
        expect(config.responseJsonSchema ?? config.responseSchema).toMatchObject({
          type: 'object',
          properties: { name: { type: 'string' }, born: { type: 'integer' } },
          required: ['name', 'born'],
        });
      });

      it('asks Gemini for JSON for a json_object response format', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'json please' }],
          response_format: { type: 'json_object' },
        });
        expect(lastModelCall().body.generationConfig.responseMimeType).toBe('application/json');
      });

      it('adds Google Search for a -search model and calls the base model', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-flash-search',
          messages: [{ role: 'user', content: 'news' }],
        });
        const call = lastModelCall();
        expect(call.model).toBe('gemini-2.5-flash');
        expect(call.body.tools).toContainEqual({ googleSearch: {} });
      });

      it('switches thinking off for a -nothinking model', async () => {
        const res = await openai.chat.completions.create({
          model: 'gemini-2.5-flash-nothinking',
          messages: [{ role: 'user', content: 'quick' }],
        });
        const call = lastModelCall();
        expect(call.model).toBe('gemini-2.5-flash');
        expect(call.body.generationConfig.thinkingConfig).toMatchObject({ thinkingBudget: 0 });
        expect(res.choices[0].message).not.toHaveProperty('reasoning_content');
      });

      it('sets the highest budget for a -maxthinking model', async () => {
        await openai.chat.completions.create({
          model: 'gemini-2.5-pro-maxthinking',
          messages: [{ role: 'user', content: 'deep' }],
        });
        expect(lastModelCall().model).toBe('gemini-2.5-pro');
        expect(lastModelCall().body.generationConfig.thinkingConfig).toMatchObject({
          thinkingBudget: 32768,
        });
      });
    });
  });
});
