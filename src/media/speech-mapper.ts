import { ApiError } from '../errors/api-error';
import type { GeminiRequest, GeminiResponse } from '../upstream/gemini-types';
import type { Pcm } from './audio-encoding';

/** Gemini TTS's 30 prebuilt voices. */
export const GEMINI_VOICES = [
  'Zephyr', 'Puck', 'Charon', 'Kore', 'Fenrir', 'Leda', 'Orus', 'Aoede', 'Callirrhoe', 'Autonoe',
  'Enceladus', 'Iapetus', 'Umbriel', 'Algieba', 'Despina', 'Erinome', 'Algenib', 'Rasalgethi',
  'Laomedeia', 'Achernar', 'Alnilam', 'Schedar', 'Gacrux', 'Pulcherrima', 'Achird',
  'Zubenelgenubi', 'Vindemiatrix', 'Sadachbia', 'Sadaltager', 'Sulafat',
] as const; // prettier-ignore

/** OpenAI's voices → the Gemini voice closest in character (Google's own voice descriptions). */
export const OPENAI_VOICES: Readonly<Record<string, string>> = {
  alloy: 'Kore', // firm, neutral
  ash: 'Charon', // informative, low
  ballad: 'Sulafat', // warm
  coral: 'Aoede', // breezy
  echo: 'Puck', // upbeat
  fable: 'Fenrir', // excitable storyteller
  onyx: 'Orus', // firm, deep
  nova: 'Leda', // youthful
  sage: 'Achird', // friendly
  shimmer: 'Callirrhoe', // easy-going
  verse: 'Iapetus', // clear
  marin: 'Despina', // smooth
  cedar: 'Algieba', // smooth, deep
};

const BY_LOWER_NAME = new Map(GEMINI_VOICES.map((v) => [v.toLowerCase(), v]));

/** An OpenAI voice name or a Gemini one (any case) → Gemini's voice; a 400 naming it otherwise. */
export function geminiVoice(voice: string): string {
  const key = voice.trim().toLowerCase();
  const found = OPENAI_VOICES[key] ?? BY_LOWER_NAME.get(key);
  if (found) return found;
  throw ApiError.badRequest(
    `Unknown voice '${voice.slice(0, 64)}'. Use one of OpenAI's voices (${Object.keys(OPENAI_VOICES).join(', ')}) or a Gemini voice (${GEMINI_VOICES.join(', ')}).`,
    'voice',
  );
}

export interface SpeechInput {
  input: string;
  voice: string;
  instructions?: string;
  speed?: number;
}

/**
 * Gemini TTS has no style or speed field: it takes direction in the prompt itself ("Say
 * cheerfully: …"), so OpenAI's `instructions` and a `speed` other than 1 become that lead-in.
 */
export function toSpeechRequest(req: SpeechInput): GeminiRequest {
  const direction = [req.instructions?.trim().replace(/[\s.:]+$/, '')];
  if (req.speed !== undefined && req.speed !== 1) {
    direction.push(`speak at ${req.speed} times the normal pace`);
  }
  const lead = direction.filter(Boolean).join('; ');
  return {
    contents: [{ role: 'user', parts: [{ text: lead ? `${lead}: ${req.input}` : req.input }] }],
    generationConfig: {
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: geminiVoice(req.voice) } } },
    },
  };
}

/** Gemini TTS's own rate when its mime type names none (`audio/L16;codec=pcm;rate=24000`). */
export const GEMINI_TTS_SAMPLE_RATE = 24_000;

/**
 * The PCM of a TTS answer: every audio part of the first candidate, in order (a long speech may
 * come in several parts). Anything but raw PCM, or no audio at all, is Google's fault: a 502.
 */
export function pcmFromResponse(resp: GeminiResponse): Pcm {
  const parts = resp.candidates?.[0]?.content?.parts ?? [];
  const chunks: Buffer[] = [];
  let sampleRate = GEMINI_TTS_SAMPLE_RATE;
  for (const part of parts) {
    const inline = part.inlineData;
    if (!inline || !inline.mimeType.toLowerCase().startsWith('audio/')) continue;
    const mime = inline.mimeType.toLowerCase();
    if (!/^audio\/(l16|pcm)\b/.test(mime)) {
      throw upstreamAudioError(`Google answered audio as ${inline.mimeType}, not raw PCM`);
    }
    const rate = /rate=(\d+)/.exec(mime);
    if (rate) sampleRate = Number(rate[1]);
    chunks.push(Buffer.from(inline.data, 'base64'));
  }
  if (chunks.length === 0) {
    const reason = resp.promptFeedback?.blockReason ?? resp.candidates?.[0]?.finishReason;
    throw upstreamAudioError(`Google answered no audio${reason ? ` (${reason})` : ''}`);
  }
  return { data: Buffer.concat(chunks), sampleRate };
}

function upstreamAudioError(message: string): ApiError {
  return new ApiError({ status: 502, kind: 'upstream', message: `${message}.` });
}
