import { uniqueId } from './ids';
import { countRequestWords, countWords, lastUserText } from './model-replies';
import { tinyPng } from './tiny-png';
import { isRecord, type GeminiResponse, type GenerateContentRequest, type Part } from './types';

/** Gemini TTS's output type, exactly as Google labels it. */
export const TTS_MIME_TYPE = 'audio/L16;codec=pcm;rate=24000';
export const TTS_SAMPLE_RATE = 24_000;
/** Seconds of tone the fake speaks per word of its input. */
export const TTS_SECONDS_PER_WORD = 0.25;
/** What the fake "hears" in any recording. */
export const FAKE_TRANSCRIPT_SEGMENTS = [
  { start: 0, end: 1.5, text: 'Hello from the fake.' },
  { start: 1.5, end: 3.25, text: 'This is a transcript.' },
];
/** Pixels per ratio unit of the fake's images: 1:1 is 8×8, 16:9 is 128×72. */
const PIXELS_PER_UNIT = 8;
/** Google's count for an input image. */
const IMAGE_INPUT_TOKENS = 258;

/**
 * The fake's answers for media models, in Google's shapes, or undefined when the request is plain
 * text generation: image parts for image models (a real PNG sized to `imageConfig.aspectRatio`),
 * 24 kHz PCM for TTS (`responseModalities: ["AUDIO"]`), a fixed transcript for recordings.
 */
export function mediaStream(
  model: string,
  request: GenerateContentRequest,
  events: number,
): GeminiResponse[] | undefined {
  const config = request.generationConfig ?? {};
  const modalities = Array.isArray(config.responseModalities)
    ? (config.responseModalities as unknown[]).map((m) => String(m).toUpperCase())
    : undefined;
  if (modalities?.includes('AUDIO') || /-tts\b/.test(model)) {
    return speech(model, request, events);
  }
  if (modalities?.includes('IMAGE') || /-image\b/.test(model)) {
    return image(model, request, modalities?.includes('TEXT') ?? true);
  }
  if (hasRecording(request)) return transcript(model, request);
  return undefined;
}

function image(model: string, request: GenerateContentRequest, withText: boolean) {
  const imageConfig = isRecord(request.generationConfig?.imageConfig)
    ? request.generationConfig.imageConfig
    : {};
  const ratio = typeof imageConfig.aspectRatio === 'string' ? imageConfig.aspectRatio : '1:1';
  const [w, h] = ratio.split(':').map((n) => Number(n) || 1);
  const png = tinyPng(w * PIXELS_PER_UNIT, h * PIXELS_PER_UNIT);
  const parts: Part[] = [];
  if (withText) parts.push({ text: `Here is ${lastUserText(request.contents)}` });
  parts.push({ inlineData: { mimeType: 'image/png', data: png.toString('base64') } });
  const textTokens = countRequestWords(request);
  const imageTokens = IMAGE_INPUT_TOKENS * inputImages(request);
  return [
    answer(model, parts, {
      promptTokenCount: textTokens + imageTokens,
      candidatesTokenCount: 1290,
      totalTokenCount: textTokens + imageTokens + 1290,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: textTokens },
        ...(imageTokens ? [{ modality: 'IMAGE', tokenCount: imageTokens }] : []),
      ],
      candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1290 }],
    }),
  ];
}

function speech(model: string, request: GenerateContentRequest, events: number) {
  const words = countWords(lastUserText(request.contents));
  const samples = Math.round(Math.max(1, words) * TTS_SECONDS_PER_WORD * TTS_SAMPLE_RATE);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / TTS_SAMPLE_RATE)), i * 2);
  }
  const count = Math.max(1, Math.floor(events));
  // Whole samples per event: Google never splits one across two parts.
  const step = Math.ceil(samples / count) * 2;
  const promptTokenCount = countRequestWords(request);
  const candidatesTokenCount = Math.ceil(samples / TTS_SAMPLE_RATE) * 25;
  const responseId = uniqueId();
  return Array.from({ length: count }, (_, e) => {
    const slice = pcm.subarray(e * step, (e + 1) * step);
    const last = e === count - 1;
    return {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ inlineData: { mimeType: TTS_MIME_TYPE, data: slice.toString('base64') } }],
          },
          ...(last ? { finishReason: 'STOP' } : {}),
          index: 0,
        },
      ],
      ...(last
        ? {
            usageMetadata: {
              promptTokenCount,
              candidatesTokenCount,
              totalTokenCount: promptTokenCount + candidatesTokenCount,
              promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
              candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: candidatesTokenCount }],
            },
          }
        : {}),
      modelVersion: model,
      responseId,
    };
  });
}

function transcript(model: string, request: GenerateContentRequest) {
  const structured = request.generationConfig?.responseMimeType === 'application/json';
  const text = structured
    ? JSON.stringify({ language: 'english', segments: FAKE_TRANSCRIPT_SEGMENTS })
    : FAKE_TRANSCRIPT_SEGMENTS.map((s) => s.text).join(' ');
  const audioTokens = 100;
  const promptTokenCount = countRequestWords(request) + audioTokens;
  const candidatesTokenCount = countWords(text);
  return [
    answer(model, [{ text }], {
      promptTokenCount,
      candidatesTokenCount,
      totalTokenCount: promptTokenCount + candidatesTokenCount,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: promptTokenCount - audioTokens },
        { modality: 'AUDIO', tokenCount: audioTokens },
      ],
    }),
  ];
}

function answer(model: string, parts: Part[], usageMetadata: GeminiResponse['usageMetadata']) {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata,
    modelVersion: model,
    responseId: uniqueId(),
  };
}

function inlineParts(request: GenerateContentRequest): Part[] {
  return request.contents.flatMap((c) => c.parts ?? []).filter((p) => isRecord(p.inlineData));
}

const inputImages = (request: GenerateContentRequest) =>
  inlineParts(request).filter((p) => p.inlineData!.mimeType.startsWith('image/')).length;

const hasRecording = (request: GenerateContentRequest) =>
  inlineParts(request).some((p) => /^(audio|video)\//.test(p.inlineData!.mimeType));
