import { toWav } from './audio-encoding';
import { encodeMp3 } from './mp3-encoder';
import { GEMINI_VOICES, geminiVoice, OPENAI_VOICES, pcmFromResponse } from './speech-mapper';

describe('geminiVoice', () => {
  it('maps every OpenAI voice to a Gemini voice', () => {
    for (const voice of Object.values(OPENAI_VOICES)) expect(GEMINI_VOICES).toContain(voice);
    expect(geminiVoice('alloy')).toBe('Kore');
    expect(geminiVoice('ONYX')).toBe('Orus');
  });

  it("takes Gemini's own voice names in any case", () => {
    expect(geminiVoice('zubenelgenubi')).toBe('Zubenelgenubi');
  });

  it('refuses an unknown voice with a 400 that names it', () => {
    expect(() => geminiVoice('HAL')).toThrow(
      expect.objectContaining({
        status: 400,
        param: 'voice',
        message: expect.stringMatching(/'HAL'/),
      }),
    );
  });
});

describe('pcmFromResponse', () => {
  const part = (mimeType: string, bytes: number[]) => ({
    inlineData: { mimeType, data: Buffer.from(bytes).toString('base64') },
  });

  it('joins the audio parts and reads the rate from the mime type', () => {
    const pcm = pcmFromResponse({
      candidates: [
        {
          content: {
            parts: [
              part('audio/L16;codec=pcm;rate=16000', [1, 2]),
              part('audio/L16;codec=pcm;rate=16000', [3, 4]),
            ],
          },
        },
      ],
    });
    expect(pcm).toEqual({ data: Buffer.from([1, 2, 3, 4]), sampleRate: 16000 });
  });

  it('answers 502 when Google sent no audio or audio in another encoding', () => {
    expect(() => pcmFromResponse({ candidates: [{ finishReason: 'OTHER' }] })).toThrow(
      expect.objectContaining({ status: 502 }),
    );
    expect(() =>
      pcmFromResponse({ candidates: [{ content: { parts: [part('audio/ogg', [1])] } }] }),
    ).toThrow(expect.objectContaining({ status: 502 }));
  });
});

describe('speech encodings', () => {
  const second = Buffer.alloc(48_000);

  it('writes a WAV header with the rate and length', () => {
    const wav = toWav({ data: second, sampleRate: 24_000 });
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(24_000);
    expect(wav.readUInt32LE(40)).toBe(48_000);
  });

  it('encodes MP3 frames at the PCM rate', async () => {
    const samples = new Int16Array(24_000 * 4).map((_, i) => Math.round(4000 * Math.sin(i / 8)));
    const mp3 = await encodeMp3(samples, 24_000);
    expect(mp3[0]).toBe(0xff);
    expect(mp3[1] & 0xe0).toBe(0xe0);
    // MPEG-2 (bits 4-3 = 10), sample-rate index 1: 24 kHz.
    expect((mp3[1] >> 3) & 3).toBe(2);
    expect((mp3[2] >> 2) & 3).toBe(1);
  });
});
