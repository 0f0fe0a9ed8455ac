import { uniqueId } from './ids';
import { mediaStream } from './media-replies';
import {
  isRecord,
  type Candidate,
  type Content,
  type GeminiResponse,
  type GenerateContentRequest,
  type Part,
  type ScriptedAnswer,
  type UsageMetadata,
} from './types';

/** The text of the thought part added when a request asks for thoughts. */
export const THOUGHT_TEXT = 'Thinking about it.';

/**
 * The fake model's deterministic answer, split into `events` stream events at word boundaries:
 * `Hello from {model}: {last user text}`, one candidate per `candidateCount` (` #i` appended
 * from the second), a thought part first when `includeThoughts`, finishReason and usage last.
 * `modelVersion` names `servedAs`, the model Google says it ran (by default the one asked).
 */
export function defaultStream(
  model: string,
  request: GenerateContentRequest,
  events: number,
  servedAs = model,
): GeminiResponse[] {
  const eventCount = Math.max(1, Math.floor(events));
  const media = mediaStream(model, request, eventCount);
  if (media) return media;
  const config = request.generationConfig;
  const candidateCount = Math.max(1, Math.floor(Number(config?.candidateCount ?? 1)) || 1);
  const thinking = config?.thinkingConfig?.includeThoughts === true;
  const prompt = lastUserText(request.contents);
  const texts = Array.from(
    { length: candidateCount },
    (_, i) => `Hello from ${model}: ${prompt}${i > 0 ? ` #${i}` : ''}`,
  );
  const pieces = texts.map((text) => splitWords(text, eventCount));
  const thoughtsTokenCount = thinking ? countWords(THOUGHT_TEXT) * candidateCount : 0;
  const promptTokenCount = countRequestWords(request);
  const candidatesTokenCount = texts.reduce((sum, text) => sum + countWords(text), 0);
  const usageMetadata: UsageMetadata = {
    promptTokenCount,
    candidatesTokenCount,
    totalTokenCount: promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
    ...(thinking ? { thoughtsTokenCount } : {}),
  };
  const responseId = uniqueId();

  return Array.from({ length: eventCount }, (_, e) => {
    const last = e === eventCount - 1;
    const candidates: Candidate[] = pieces.map((chunks, index) => ({
      content: {
        role: 'model',
        parts: [
          ...(thinking && e === 0 ? [{ text: THOUGHT_TEXT, thought: true }] : []),
          { text: chunks[e] },
        ],
      },
      ...(last ? { finishReason: 'STOP' } : {}),
      index,
    }));
    return {
      candidates,
      ...(last ? { usageMetadata } : {}),
      modelVersion: servedAs,
      responseId,
    };
  });
}

export function defaultResponse(
  model: string,
  request: GenerateContentRequest,
  servedAs = model,
): GeminiResponse {
  return defaultStream(model, request, 1, servedAs)[0];
}

/** A scripted answer as stream events: a single response is one event. */
export function scriptedEvents(answer: ScriptedAnswer): GeminiResponse[] {
  return 'stream' in answer ? answer.stream : [answer.response];
}

/**
 * A streamed answer as a non-stream call receives it: candidate 0's parts concatenated (adjacent
 * plain text joined), the last finishReason and usageMetadata, other fields from the last event.
 */
export function mergeEvents(events: GeminiResponse[]): GeminiResponse {
  if (events.length === 1) return events[0];
  const parts: Part[] = [];
  let candidate: Candidate | undefined;
  let finishReason: string | undefined;
  let usageMetadata: UsageMetadata | undefined;
  for (const event of events) {
    const first = event.candidates?.[0];
    if (first) {
      candidate = first;
      for (const part of first.content?.parts ?? []) appendPart(parts, part);
      finishReason = first.finishReason ?? finishReason;
    }
    usageMetadata = event.usageMetadata ?? usageMetadata;
  }
  const merged: GeminiResponse = { ...(events[events.length - 1] ?? {}) };
  if (candidate) {
    const content: Content = { role: 'model', ...candidate.content, parts };
    merged.candidates = [{ ...candidate, content, ...(finishReason ? { finishReason } : {}) }];
  }
  if (usageMetadata) merged.usageMetadata = usageMetadata;
  return merged;
}

function appendPart(parts: Part[], part: Part): void {
  const previous = parts[parts.length - 1];
  if (
    previous &&
    isPlainText(previous) &&
    isPlainText(part) &&
    !previous.thought === !part.thought
  ) {
    parts[parts.length - 1] = { ...previous, text: `${previous.text}${part.text}` };
    return;
  }
  parts.push({ ...part });
}

function isPlainText(part: Part): part is Part & { text: string } {
  return (
    typeof part.text === 'string' && Object.keys(part).every((k) => k === 'text' || k === 'thought')
  );
}

/** The text parts of the last user turn, joined with spaces. */
export function lastUserText(contents: Content[]): string {
  for (let i = contents.length - 1; i >= 0; i -= 1) {
    const content = contents[i];
    if (content.role === undefined || content.role === 'user') return textOf(content);
  }
  return '';
}

/** Words of every text part in `contents` and `systemInstruction`: the fake's token count. */
export function countRequestWords(request: { contents?: unknown; systemInstruction?: unknown }) {
  const contents = Array.isArray(request.contents) ? request.contents : [];
  const all = [...contents, request.systemInstruction].map((c) => (isRecord(c) ? textOf(c) : ''));
  return all.reduce((sum, text) => sum + countWords(text), 0);
}

export function textOf(content: Record<string, unknown>): string {
  const parts = Array.isArray(content.parts) ? (content.parts as unknown[]) : [];
  return parts
    .map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : undefined))
    .filter((t): t is string => t !== undefined)
    .join(' ');
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** `k` chunks of whole words (with their trailing spaces) in order; some may be empty. */
function splitWords(text: string, k: number): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  return Array.from({ length: k }, (_, i) =>
    words
      .slice(Math.floor((i * words.length) / k), Math.floor(((i + 1) * words.length) / k))
      .join(''),
  );
}

/** A unit vector of `dimensions` numbers seeded from the text: the same text, the same vector. */
export function embed(text: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) seed = Math.imul(seed ^ text.charCodeAt(i), 0x01000193);
  const random = mulberry32(seed >>> 0);
  const values = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
