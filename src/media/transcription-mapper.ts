import type { GeminiRequest, GeminiResponse } from '../upstream/gemini-types';

export type TranscriptionTask = 'transcribe' | 'translate';
export const TRANSCRIPT_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

export interface TranscriptionInput {
  task: TranscriptionTask;
  audio: { mimeType: string; data: Buffer };
  format: TranscriptFormat;
  /** ISO-639-1 code of the spoken language, when the client knows it. */
  language?: string;
  /** OpenAI's `prompt`: earlier text or spellings to follow. */
  prompt?: string;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  text: string;
  language?: string;
  segments?: Segment[];
}

/** Formats with timestamps: Gemini is asked for segments as structured output. */
const needsSegments = (format: TranscriptFormat) => format !== 'json' && format !== 'text';

const SEGMENTS_SCHEMA = {
  type: 'object',
  properties: {
    language: {
      type: 'string',
      description: 'The language spoken, as its English name in lower case, e.g. "english".',
    },
    segments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          start: { type: 'number', description: 'Start, in seconds from the beginning.' },
          end: { type: 'number', description: 'End, in seconds from the beginning.' },
          text: { type: 'string' },
        },
        required: ['start', 'end', 'text'],
      },
    },
  },
  required: ['segments'],
};

/** Gemini's audio understanding, asked for a verbatim transcript (or an English translation). */
export function toTranscriptionRequest(req: TranscriptionInput): GeminiRequest {
  const lines = [
    req.task === 'translate'
      ? 'Translate the speech in this recording into English.'
      : 'Transcribe the speech in this recording verbatim, in the language spoken.',
  ];
  if (req.task === 'transcribe' && req.language) {
    lines.push(`The recording is in the language with ISO-639-1 code "${req.language}".`);
  }
  if (req.prompt) {
    lines.push(`Follow the spelling and style of this context: ${req.prompt}`);
  }
  lines.push(
    needsSegments(req.format)
      ? 'Split it into segments of one sentence or phrase each, with their start and end times in seconds.'
      : 'Answer with the text only: no timestamps, labels, notes or formatting.',
  );
  const request: GeminiRequest = {
    contents: [
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: req.audio.mimeType, data: req.audio.data.toString('base64') } },
          { text: lines.join('\n') },
        ],
      },
    ],
  };
  if (needsSegments(req.format)) {
    request.generationConfig = {
      responseMimeType: 'application/json',
      responseJsonSchema: SEGMENTS_SCHEMA,
    };
  }
  return request;
}

/**
 * The transcript in an answer. Segments that do not parse (a model that ignored the schema) fall
 * back to the whole text as one segment rather than failing a transcript that did arrive.
 */
export function transcriptOf(resp: GeminiResponse, format: TranscriptFormat): Transcript {
  const text = (resp.candidates?.[0]?.content?.parts ?? [])
    .filter((p) => !p.thought && typeof p.text === 'string')
    .map((p) => p.text)
    .join('')
    .trim();
  if (!needsSegments(format)) return { text };
  const parsed = parseSegments(text);
  if (!parsed) return { text, segments: [{ start: 0, end: 0, text }] };
  return {
    text: parsed.segments.map((s) => s.text.trim()).join(' '),
    language: parsed.language,
    segments: parsed.segments,
  };
}

function parseSegments(text: string): { segments: Segment[]; language?: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { segments, language } = value as { segments?: unknown; language?: unknown };
  if (!Array.isArray(segments)) return undefined;
  const out: Segment[] = [];
  for (const s of segments) {
    if (typeof s !== 'object' || s === null) continue;
    const { start, end, text: said } = s as Record<string, unknown>;
    if (typeof said !== 'string') continue;
    const from = seconds(start);
    out.push({ start: from, end: Math.max(from, seconds(end)), text: said.trim() });
  }
  return { segments: out, language: typeof language === 'string' ? language : undefined };
}

const seconds = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

/** `HH:MM:SS,mmm` (SubRip) or `HH:MM:SS.mmm` (WebVTT). */
export function timestamp(value: number, separator: ',' | '.'): string {
  const ms = Math.round(value * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

export function toSrt(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(s.end, ',')}\n${s.text}\n`)
    .join('\n');
}

export function toVtt(segments: readonly Segment[]): string {
  const cues = segments.map(
    (s) => `${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${s.text}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}

/** OpenAI's verbose_json segment, with the Whisper-only statistics Gemini has no value for. */
export function verboseSegments(segments: readonly Segment[]) {
  return segments.map((s, id) => ({
    id,
    seek: 0,
    start: s.start,
    end: s.end,
    text: s.text,
    tokens: [] as number[],
    temperature: 0,
    avg_logprob: 0,
    compression_ratio: 0,
    no_speech_prob: 0,
  }));
}
