import { encodeMp3 } from './mp3-encoder';

/** What Gemini TTS answers: 16-bit little-endian mono PCM at `sampleRate`. */
export interface Pcm {
  data: Buffer;
  sampleRate: number;
}

/** OpenAI's speech formats this proxy can produce, with the content type each is sent as. */
export const SPEECH_FORMATS = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
} as const;
export type SpeechFormat = keyof typeof SPEECH_FORMATS;

/** OpenAI formats with no maintained pure-JS encoder here; asked for, they are a 400 naming them. */
export const UNSUPPORTED_SPEECH_FORMATS = ['opus', 'aac', 'flac'] as const;

export async function encodeSpeech(pcm: Pcm, format: SpeechFormat): Promise<Buffer> {
  switch (format) {
    case 'pcm':
      return pcm.data;
    case 'wav':
      return toWav(pcm);
    case 'mp3':
      return encodeMp3(samplesOf(pcm.data), pcm.sampleRate);
  }
}

/** A canonical 44-byte RIFF/WAVE header before the samples. */
export function toWav({ data, sampleRate }: Pcm): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The bytes as samples; an odd trailing byte (a cut stream) is dropped. */
function samplesOf(data: Buffer): Int16Array {
  const count = data.length >> 1;
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = data.readInt16LE(i * 2);
  return samples;
}
