import OpenAI, { toFile } from 'openai';
import { DallEAPIWrapper } from '@langchain/openai';
import type { FakeGoogle } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import { tinyPng } from './fake-google/tiny-png';
import { generateCalls, SentPart, sentBody, useMediaPool } from './support/media-pool';
import { KEY_A, KEY_B } from './support/openai-sdk';
import { RunningProxy, TEST_PASSWORD } from './support/proxy';

/** Width and height of a PNG, read from its IHDR after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const fromDataUrl = (url: string): Buffer => {
  const match = /^data:image\/png;base64,(.+)$/.exec(url);
  expect(match).not.toBeNull();
  return Buffer.from(match![1], 'base64');
};

describe('OpenAI images API on Gemini image models', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let openai: OpenAI;

  useMediaPool((pool) => ({ fake, proxy, openai } = pool));

  describe('images.generate', () => {
    it('answers base64 PNGs made by the default image model, with the size as an aspect ratio', async () => {
      const res = await openai.images.generate({
        model: 'gpt-image-1',
        prompt: 'a lighthouse at dusk',
        size: '1536x1024',
      });
      expect(res.data).toHaveLength(1);
      expect(pngSize(Buffer.from(res.data![0].b64_json!, 'base64'))).toEqual({
        width: 24,
        height: 16,
      });
      const [call] = generateCalls(fake);
      expect(call.model).toBe('gemini-3.1-flash-image');
      expect(sentBody(call)).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dusk' }] }],
        generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '3:2' } },
      });
    });

    it('asks for 2K images when quality is high, and reports token usage', async () => {
      const res = await openai.images.generate({
        model: 'gpt-image-1',
        prompt: 'a red kite',
        size: '1024x1024',
        quality: 'high',
      });
      expect(sentBody(generateCalls(fake)[0]).generationConfig).toEqual({
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: '1:1', imageSize: '2K' },
      });
      expect(res.usage).toEqual({
        input_tokens: 3,
        output_tokens: 1290,
        total_tokens: 1293,
        input_tokens_details: { text_tokens: 3, image_tokens: 0 },
      });
    });

    it('makes n images with n calls to Google', async () => {
      const res = await openai.images.generate({ model: 'gpt-image-1', prompt: 'two cats', n: 2 });
      expect(res.data).toHaveLength(2);
      expect(generateCalls(fake)).toHaveLength(2);
      expect(res.usage?.output_tokens).toBe(2 * 1290);
    });

    it("answers dall-e-3's default url format with data: URLs", async () => {
      const res = await openai.images.generate({ model: 'dall-e-3', prompt: 'a boat' });
      expect(pngSize(fromDataUrl(res.data![0].url!))).toEqual({ width: 8, height: 8 });
      expect(generateCalls(fake)[0].model).toBe('gemini-3.1-flash-image');
    });

    it("follows the operator's MODEL_ALIASES over the built-in default", async () => {
      await openai.images.generate({
        model: 'dall-e-2',
        prompt: 'a boat',
        response_format: 'b64_json',
      });
      expect(generateCalls(fake)[0].model).toBe('gemini-3-pro-image');
    });

    it('fails over to another key when the first is rate-limited', async () => {
      // Whichever key is picked first answers 429 (cooling it for a second); the other serves.
      fake.failNext(rateLimited(1));
      const res = await openai.images.generate({ model: 'gpt-image-1', prompt: 'rain' });
      expect(pngSize(Buffer.from(res.data![0].b64_json!, 'base64'))).toEqual({
        width: 8,
        height: 8,
      });
      const calls = generateCalls(fake);
      expect(calls).toHaveLength(2);
      expect(new Set(calls.map((c) => c.credential))).toEqual(new Set([KEY_A, KEY_B]));
    });

    it.each([
      [{ size: '1024by1024' }, 'size'],
      [{ n: 11 }, 'n'],
      [{ response_format: 'png' }, 'response_format'],
      [{ prompt: '' }, 'prompt'],
      [{ stream: true }, 'stream'],
    ])('refuses %j with a 400 naming %s', async (change, param) => {
      const res = await fetch(`${proxy.url}/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-image-1', prompt: 'x', ...change }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { param: string; type: string } };
      expect(body.error).toMatchObject({ param, type: 'invalid_request_error' });
      expect(generateCalls(fake)).toHaveLength(0);
    });
  });

  describe('images.edit', () => {
    it('sends the images and the mask inline beside the prompt and answers a PNG', async () => {
      const photo = tinyPng(4, 4);
      const mask = tinyPng(4, 4);
      const res = await openai.images.edit({
        model: 'gpt-image-1',
        image: [await toFile(photo, 'photo.png'), await toFile(photo, 'second.png')],
        mask: await toFile(mask, 'mask.png'),
        prompt: 'add a hat',
        size: '1024x1792',
      });
      expect(pngSize(Buffer.from(res.data![0].b64_json!, 'base64'))).toEqual({
        width: 72,
        height: 128,
      });
      const sent = sentBody(generateCalls(fake)[0]);
      const parts: SentPart[] = sent.contents[0].parts;
      expect(parts[0]).toEqual({ text: 'add a hat' });
      const inline = parts.filter((p) => p.inlineData).map((p) => p.inlineData!);
      expect(inline).toEqual([
        { mimeType: 'image/png', data: photo.toString('base64') },
        { mimeType: 'image/png', data: photo.toString('base64') },
        { mimeType: 'image/png', data: mask.toString('base64') },
      ]);
      expect(parts.some((p) => /mask/.test(p.text ?? ''))).toBe(true);
      expect(sent.generationConfig).toEqual({
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: '9:16' },
      });
      expect(res.usage?.input_tokens_details.image_tokens).toBe(3 * 258);
    });

    it('refuses a file that is not an image with a 400 naming image', async () => {
      const error = await openai.images
        .edit({
          model: 'gpt-image-1',
          image: await toFile(Buffer.from('just some text'), 'notes.txt'),
          prompt: 'x',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('image');
      expect(generateCalls(fake)).toHaveLength(0);
    });

    it('refuses a JSON body on the upload route with a 400', async () => {
      const res = await fetch(`${proxy.url}/v1/images/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'x' }),
      });
      expect(res.status).toBe(400);
    });
  });

  describe('chat completions on an image model', () => {
    it('return the image in message.images as a data URL and keep the text', async () => {
      const res = await openai.chat.completions.create({
        model: 'gemini-3.1-flash-image',
        messages: [{ role: 'user', content: 'a small square' }],
      });
      const message = res.choices[0].message as (typeof res.choices)[0]['message'] & {
        images?: { type: string; image_url: { url: string } }[];
      };
      expect(message.content).toBe('Here is a small square');
      expect(message.images).toHaveLength(1);
      expect(message.images![0].type).toBe('image_url');
      expect(pngSize(fromDataUrl(message.images![0].image_url.url))).toEqual({
        width: 8,
        height: 8,
      });
    });
  });

  describe("LangChain's DallEAPIWrapper", () => {
    it('gets an image URL it can use, unchanged', async () => {
      const tool = new DallEAPIWrapper({
        apiKey: TEST_PASSWORD,
        baseUrl: `${proxy.url}/v1`,
        model: 'dall-e-3',
      });
      const url = (await tool.invoke('a watercolour fox')) as string;
      expect(pngSize(fromDataUrl(url))).toEqual({ width: 8, height: 8 });
      expect(sentBody(generateCalls(fake)[0]).contents[0].parts[0]).toEqual({
        text: 'a watercolour fox',
      });
    });
  });
});
