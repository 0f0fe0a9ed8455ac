import OpenAI, { toFile } from 'openai';
import type { CompletedRequest } from '../src/logging/request-record';
import { RequestTracker } from '../src/logging/request-tracker';
import type { FakeGoogle } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import {
  FAKE_TRANSCRIPT_SEGMENTS,
  TTS_SAMPLE_RATE,
  TTS_SECONDS_PER_WORD,
} from './fake-google/media-replies';
import { tinyPng } from './fake-google/tiny-png';
import {
  generateCalls,
  MEDIA_BODY_LIMIT_BYTES,
  sentBody,
  useMediaPool,
} from './support/media-pool';
import { KEY_A, KEY_B } from './support/openai-sdk';
import { RunningProxy, TEST_PASSWORD } from './support/proxy';
import { RawRequest } from './support/raw-request';
import { waitFor } from './support/wait';

const waitForCount = (count: () => number, n: number) =>
  waitFor(() => count() >= n, 5_000, `${n} completed requests`);

/** A mono 16-bit WAV of `samples` samples of silence at 16 kHz. */
function wav(samples: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}

/** The first MPEG audio frame header's facts, after checking its 11-bit frame sync. */
function mp3Header(bytes: Buffer): { version: string; layer: number; sampleRate: number } {
  expect(bytes[0]).toBe(0xff);
  expect(bytes[1] & 0xe0).toBe(0xe0);
  const version = ['2.5', 'reserved', '2', '1'][(bytes[1] >> 3) & 3];
  const layer = [0, 3, 2, 1][(bytes[1] >> 1) & 3];
  const rates: Record<string, number[]> = {
    '1': [44100, 48000, 32000],
    '2': [22050, 24000, 16000],
    '2.5': [11025, 12000, 8000],
  };
  return { version, layer, sampleRate: rates[version][(bytes[2] >> 2) & 3] };
}

/** Bytes of PCM the fake speaks for `words` words. */
const pcmBytes = (words: number) => Math.round(words * TTS_SECONDS_PER_WORD * TTS_SAMPLE_RATE) * 2;

describe('OpenAI audio API on Gemini TTS and audio understanding', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let openai: OpenAI;

  useMediaPool((pool) => ({ fake, proxy, openai } = pool));

  const postSpeech = (body: Record<string, unknown>) =>
    fetch(`${proxy.url}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PASSWORD}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hi', ...body }),
    });

  describe('audio.speech', () => {
    it('answers MP3 by default, from the TTS model with the mapped voice', async () => {
      const res = await openai.audio.speech.create({
        model: 'tts-1',
        voice: 'alloy',
        input: 'Hello there, how are you?',
      });
      expect(res.headers.get('content-type')).toBe('audio/mpeg');
      const mp3 = Buffer.from(await res.arrayBuffer());
      expect(mp3Header(mp3)).toEqual({ version: '2', layer: 3, sampleRate: 24_000 });
      const [call] = generateCalls(fake);
      expect(call.model).toBe('gemini-3.8-flash-lite-tts');
      expect(sentBody(call)).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'Hello there, how are you?' }] }],
        generationConfig: {
          responseModalities: ['AUDIO'],
          speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } },
        },
      });
    });

    it('answers WAV at Gemini’s 24 kHz with every sample Google sent', async () => {
      const res = await openai.audio.speech.create({
        model: 'tts-1-hd',
        voice: 'Puck',
        input: 'one two three four',
        response_format: 'wav',
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
      expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
      expect(bytes.readUInt16LE(20)).toBe(1); // PCM
      expect(bytes.readUInt16LE(22)).toBe(1); // mono
      expect(bytes.readUInt32LE(24)).toBe(24_000);
      expect(bytes.readUInt16LE(34)).toBe(16);
      expect(bytes.readUInt32LE(40)).toBe(pcmBytes(4));
      expect(bytes.length).toBe(44 + pcmBytes(4));
      expect(generateCalls(fake)[0].model).toBe('gemini-3.8-flash-tts');
    });

    it('answers raw PCM as OpenAI does (24 kHz, 16-bit, little-endian)', async () => {
      const res = await openai.audio.speech.create({
        model: 'gemini-3.8-flash-tts',
        voice: 'nova',
        input: 'a b c',
        response_format: 'pcm',
      });
      expect(Buffer.from(await res.arrayBuffer()).length).toBe(pcmBytes(3));
    });

    it('puts instructions (and a speed) in front of the text as direction', async () => {
      await (
        await openai.audio.speech.create({
          model: 'gpt-4o-mini-tts',
          voice: 'coral',
          input: 'Good morning.',
          instructions: 'Speak cheerfully.',
          speed: 1.5,
          response_format: 'pcm',
        })
      ).arrayBuffer();
      const sent = sentBody(generateCalls(fake)[0]);
      expect(sent.contents[0].parts).toEqual([
        { text: 'Speak cheerfully; speak at 1.5 times the normal pace: Good morning.' },
      ]);
    });

    it('fails over to another key when the first is rate-limited', async () => {
      fake.failNext(rateLimited(1));
      const res = await openai.audio.speech.create({
        model: 'tts-1',
        voice: 'echo',
        input: 'x',
        response_format: 'pcm',
      });
      expect(Buffer.from(await res.arrayBuffer()).length).toBe(pcmBytes(1));
      const calls = generateCalls(fake);
      expect(new Set(calls.map((c) => c.credential))).toEqual(new Set([KEY_A, KEY_B]));
    });

    it.each([
      [{ voice: 'robot' }, 'voice', /Unknown voice 'robot'/],
      [{ response_format: 'opus' }, 'response_format', /cannot produce response_format 'opus'/],
      [{ response_format: 'ogg' }, 'response_format', /Unknown response_format 'ogg'/],
      [{ speed: 9 }, 'speed', /speed/],
      [{ input: '' }, 'input', /input/],
      [{ stream_format: 'sse' }, 'stream_format', /stream_format/],
    ])('refuses %j with a 400 naming %s, before calling Google', async (change, param, message) => {
      const res = await postSpeech(change);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { param: string; message: string } };
      expect(body.error.param).toBe(param);
      expect(body.error.message).toMatch(message);
      expect(generateCalls(fake)).toHaveLength(0);
    });
  });

  describe('native Gemini routes', () => {
    it('relay the PCM parts of a streamed TTS answer unchanged', async () => {
      const res = await fetch(
        `${proxy.url}/v1beta/models/gemini-3.8-flash-tts:streamGenerateContent?alt=sse`,
        {
          method: 'POST',
          headers: { 'x-goog-api-key': TEST_PASSWORD, 'content-type': 'application/json' },
          body: JSON.stringify({
            contents: [{ parts: [{ text: 'one two three four' }] }],
            generationConfig: {
              responseModalities: ['AUDIO'],
              speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } },
            },
          }),
        },
      );
      expect(res.status).toBe(200);
      const events = (await res.text())
        .split('\n\n')
        .filter((block) => block.startsWith('data: '))
        .map(
          (block) =>
            JSON.parse(block.slice(6)) as {
              candidates: {
                content: { parts: { inlineData: { mimeType: string; data: string } }[] };
              }[];
            },
        );
      expect(events.length).toBeGreaterThan(1);
      const inline = events.flatMap((e) => e.candidates[0].content.parts.map((p) => p.inlineData));
      expect(new Set(inline.map((i) => i.mimeType))).toEqual(
        new Set(['audio/L16;codec=pcm;rate=24000']),
      );
      const bytes = inline.reduce((n, i) => n + Buffer.from(i.data, 'base64').length, 0);
      expect(bytes).toBe(pcmBytes(4));
    });
  });

  describe('the request log', () => {
    it('records the model, credential and tokens of media requests as it does for chat', async () => {
      const completed: CompletedRequest[] = [];
      const stop = proxy.app.get(RequestTracker).onComplete((r) => completed.push(r));
      try {
        await (
          await openai.audio.speech.create({
            model: 'tts-1',
            voice: 'alloy',
            input: 'count me',
            response_format: 'pcm',
          })
        ).arrayBuffer();
        await openai.audio.transcriptions.create({
          model: 'whisper-1',
          file: await toFile(wav(100), 'a.wav'),
        });
        await openai.images.generate({ model: 'gpt-image-1', prompt: 'a dot' });
        await waitForCount(() => completed.length, 3);
      } finally {
        stop();
      }
      expect(
        completed.map((r) => [r.route, r.model, r.attempts, (r.tokens?.prompt ?? 0) > 0]),
      ).toEqual([
        ['/v1/audio/speech', 'gemini-3.8-flash-lite-tts', 1, true],
        ['/v1/audio/transcriptions', 'gemini-3.5-flash-lite', 1, true],
        ['/v1/images/generations', 'gemini-3.1-flash-image', 1, true],
      ]);
      expect(completed.every((r) => r.credentialId?.startsWith('key...'))).toBe(true);
    });
  });

  describe('audio.transcriptions', () => {
    const recording = () => toFile(wav(1600), 'hello.wav');

    it('sends the recording inline to the transcription model and answers json', async () => {
      const res = await openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await recording(),
        language: 'en',
        prompt: 'Gemini, Kore',
      });
      expect(res.text).toBe('Hello from the fake. This is a transcript.');
      const [call] = generateCalls(fake);
      expect(call.model).toBe('gemini-3.5-flash-lite');
      const parts = sentBody(call).contents[0].parts;
      expect(parts[0]).toEqual({
        inlineData: { mimeType: 'audio/wav', data: wav(1600).toString('base64') },
      });
      expect(parts[1].text).toMatch(/Transcribe/);
      expect(parts[1].text).toMatch(/"en"/);
      expect(parts[1].text).toMatch(/Gemini, Kore/);
      expect(sentBody(call).generationConfig).toBeUndefined();
    });

    it('answers text', async () => {
      const text = await openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await recording(),
        response_format: 'text',
      });
      expect(text).toBe('Hello from the fake. This is a transcript.\n');
    });

    it('answers srt from the segments Gemini gave as structured output', async () => {
      const srt = await openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await recording(),
        response_format: 'srt',
      });
      expect(srt).toBe(
        '1\n00:00:00,000 --> 00:00:01,500\nHello from the fake.\n\n' +
          '2\n00:00:01,500 --> 00:00:03,250\nThis is a transcript.\n',
      );
      const config = sentBody(generateCalls(fake)[0]).generationConfig!;
      expect(config.responseMimeType).toBe('application/json');
      expect(config.responseJsonSchema).toMatchObject({ required: ['segments'] });
    });

    it('answers vtt', async () => {
      const vtt = await openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await recording(),
        response_format: 'vtt',
      });
      expect(vtt).toBe(
        'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello from the fake.\n\n' +
          '00:00:01.500 --> 00:00:03.250\nThis is a transcript.\n',
      );
    });

    it('answers verbose_json with segments, language and duration', async () => {
      const res = await openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await recording(),
        response_format: 'verbose_json',
      });
      expect(res).toMatchObject({
        task: 'transcribe',
        language: 'english',
        duration: 3.25,
        text: 'Hello from the fake. This is a transcript.',
      });
      expect(res.segments?.map((s) => [s.id, s.start, s.end, s.text])).toEqual(
        FAKE_TRANSCRIPT_SEGMENTS.map((s, i) => [i, s.start, s.end, s.text]),
      );
    });

    it('translates into English through /v1/audio/translations', async () => {
      const res = await openai.audio.translations.create({
        model: 'whisper-1',
        file: await toFile(Buffer.concat([Buffer.from('ID3'), Buffer.alloc(64)]), 'talk.mp3'),
      });
      expect(res.text).toBe('Hello from the fake. This is a transcript.');
      const parts = sentBody(generateCalls(fake)[0]).contents[0].parts;
      expect(parts[0].inlineData?.mimeType).toBe('audio/mp3');
      expect(parts[1].text).toMatch(/Translate the speech in this recording into English/);
    });

    it('refuses a file that is not audio with a 400 naming file', async () => {
      const error = await openai.audio.transcriptions
        .create({ model: 'whisper-1', file: await toFile(tinyPng(2, 2), 'picture.wav') })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('file');
      expect(generateCalls(fake)).toHaveLength(0);
    });

    it('refuses a form without a file with a 400 naming file', async () => {
      const form = new FormData();
      form.set('model', 'whisper-1');
      const res = await fetch(`${proxy.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_PASSWORD}` },
        body: form,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('file');
    });

    it('refuses an upload past BODY_LIMIT with a 413', async () => {
      const error = await openai.audio.transcriptions
        .create({ model: 'whisper-1', file: await toFile(wav(MEDIA_BODY_LIMIT_BYTES), 'long.wav') })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
      expect(generateCalls(fake)).toHaveLength(0);
    });

    it('refuses an unauthenticated upload with a 401 before a byte of it is sent', async () => {
      const raw = RawRequest.post(proxy.url, '/v1/audio/transcriptions', {
        authorization: 'Bearer wrong-password',
        'content-type': 'multipart/form-data; boundary=xyz',
        'content-length': 400_000,
      });
      try {
        expect(await raw.statusLine()).toMatch(/^HTTP\/1\.1 401/);
      } finally {
        raw.destroy();
      }
    });

    it('refuses a malformed multipart body with a 400', async () => {
      const res = await fetch(`${proxy.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_PASSWORD}`,
          'content-type': 'multipart/form-data',
        },
        body: 'not a form',
      });
      expect(res.status).toBe(400);
    });
  });
});
