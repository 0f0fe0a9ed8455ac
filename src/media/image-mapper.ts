import { ApiError } from '../errors/api-error';
import type { GeminiPart, GeminiRequest, GeminiResponse } from '../upstream/gemini-types';

/** The aspect ratios Gemini image models take in `imageConfig.aspectRatio`. */
const ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];

export interface ImageConfig {
  aspectRatio?: string;
  imageSize?: '2K' | '4K';
}

/**
 * OpenAI's `size` (`1024x1536`, `auto`) and `quality` → Gemini's `imageConfig`: the nearest aspect
 * ratio, and an `imageSize` only above Google's 1K default (older image models refuse the field).
 * A Gemini ratio (`16:9`) is taken as `size` too.
 */
export function toImageConfig(size: string | undefined, quality: string | undefined): ImageConfig {
  const config: ImageConfig = {};
  let longest = 0;
  const wanted = (size ?? 'auto').trim().toLowerCase();
  if (ASPECT_RATIOS.includes(wanted)) {
    config.aspectRatio = wanted;
  } else if (wanted !== 'auto') {
    const match = /^(\d{1,5})x(\d{1,5})$/.exec(wanted);
    const width = Number(match?.[1]);
    const height = Number(match?.[2]);
    if (!match || width === 0 || height === 0) {
      throw ApiError.badRequest(
        `Invalid 'size': '${String(size).slice(0, 32)}'. Use WIDTHxHEIGHT (e.g. 1024x1024), 'auto', or an aspect ratio (${ASPECT_RATIOS.join(', ')}).`,
        'size',
      );
    }
    config.aspectRatio = nearestRatio(width / height);
    longest = Math.max(width, height);
  }
  if (longest > 3072) config.imageSize = '4K';
  else if (longest > 1792 || quality === 'hd' || quality === 'high') config.imageSize = '2K';
  return config;
}

function nearestRatio(ratio: number): string {
  let best = ASPECT_RATIOS[0];
  let distance = Infinity;
  for (const candidate of ASPECT_RATIOS) {
    const [w, h] = candidate.split(':').map(Number);
    const d = Math.abs(Math.log(ratio) - Math.log(w / h));
    if (d < distance) [best, distance] = [candidate, d];
  }
  return best;
}

export interface ImageInput {
  mimeType: string;
  data: Buffer;
}

/**
 * One generateContent call for OpenAI's images routes: the prompt, then any images to edit as
 * inline parts, then the mask, which Gemini has no field for, described in words (OpenAI's
 * mask marks with transparency where to edit).
 */
export function toImageRequest(
  prompt: string,
  config: ImageConfig,
  images: readonly ImageInput[] = [],
  mask?: ImageInput,
): GeminiRequest {
  const parts: GeminiPart[] = [{ text: prompt }];
  for (const image of images) parts.push(inline(image));
  if (mask) {
    parts.push({
      text: 'The next image is a mask of the same size: change only the areas where the mask is transparent, and keep the rest unchanged.',
    });
    parts.push(inline(mask));
  }
  const generationConfig: GeminiRequest['generationConfig'] = { responseModalities: ['IMAGE'] };
  if (config.aspectRatio || config.imageSize) generationConfig.imageConfig = { ...config };
  return { contents: [{ role: 'user', parts }], generationConfig };
}

const inline = ({ mimeType, data }: ImageInput): GeminiPart => ({
  inlineData: { mimeType, data: data.toString('base64') },
});

export interface GeneratedImage {
  mimeType: string;
  /** Base64, as Google sent it. */
  data: string;
}

/** The images an answer holds; Gemini 3's draft images come as thought parts and are left out. */
export function imagesOf(resp: GeminiResponse): GeneratedImage[] {
  const images: GeneratedImage[] = [];
  for (const candidate of resp.candidates ?? []) {
    for (const part of candidate.content?.parts ?? []) {
      if (part.thought || !part.inlineData?.mimeType.toLowerCase().startsWith('image/')) continue;
      images.push({ mimeType: part.inlineData.mimeType, data: part.inlineData.data });
    }
  }
  return images;
}

const SAFETY_REASONS = new Set([
  'SAFETY',
  'IMAGE_SAFETY',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'IMAGE_PROHIBITED_CONTENT',
  'OTHER',
]);

/**
 * Why an answer holds no image: a blocked prompt or image is the client's 400 with OpenAI's
 * `content_policy_violation`; a model that only talked is Google's 502, with what it said.
 */
export function noImageError(resp: GeminiResponse): ApiError {
  const block = resp.promptFeedback?.blockReason;
  const finish = resp.candidates?.[0]?.finishReason;
  if (block || (finish && SAFETY_REASONS.has(finish))) {
    return new ApiError({
      status: 400,
      kind: 'invalid_request',
      message: `Google refused to make this image (${block ?? finish}).`,
      code: 'content_policy_violation',
    });
  }
  const said = (resp.candidates?.[0]?.content?.parts ?? [])
    .filter((p) => !p.thought && typeof p.text === 'string')
    .map((p) => p.text)
    .join('')
    .slice(0, 300);
  return new ApiError({
    status: 502,
    kind: 'upstream',
    message: `The model answered without an image${said ? `: "${said}"` : ''}. Check that the model makes images (e.g. gemini-3.1-flash-image).`,
  });
}
