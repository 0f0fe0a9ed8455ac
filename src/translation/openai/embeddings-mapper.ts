import { ApiError } from '../../errors/api-error';
import { readGoogleExtras } from '../common/google-extras';
import type {
  OpenAIEmbedding,
  OpenAIEmbeddingsRequest,
  OpenAIEmbeddingsResponse,
} from './openai-types';

/** One `requests[]` entry of Gemini's `batchEmbedContents`. */
export interface GeminiEmbedContentRequest {
  model: string;
  content: { parts: { text: string }[] };
  outputDimensionality?: number;
  taskType?: string;
}

export interface GeminiBatchEmbedRequest {
  requests: GeminiEmbedContentRequest[];
}

export interface GeminiBatchEmbedResponse {
  embeddings?: { values?: number[] }[];
}

export interface MappedEmbeddingsRequest {
  /** The model name for the URL (`models/{model}:batchEmbedContents`), without `models/`. */
  model: string;
  /** Send in order and pass the answers, in the same order, to `toEmbeddingsResponse`. */
  batches: GeminiBatchEmbedRequest[];
}

/**
 * Gemini answers 400 to a batchEmbedContents with more than 100 requests, while OpenAI clients
 * send up to 2048 inputs at once (LangChain batches 512), so inputs are split.
 */
export const EMBED_BATCH_LIMIT = 100;

function inputsOf(input: unknown): string[] {
  const list = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(list) || list.length === 0) {
    throw ApiError.badRequest('input must be a non-empty string or array of strings.', 'input');
  }
  list.forEach((item: unknown, i) => {
    if (typeof item === 'number' || Array.isArray(item)) {
      throw ApiError.badRequest(
        'input as token arrays is not supported; send the text itself.',
        'input',
      );
    }
    if (typeof item !== 'string' || item.length === 0) {
      // Gemini rejects an empty text part.
      throw ApiError.badRequest(`input[${i}] must be a non-empty string.`, 'input');
    }
  });
  return list as string[];
}

export function toEmbeddingsRequest(req: OpenAIEmbeddingsRequest): MappedEmbeddingsRequest {
  if (typeof req?.model !== 'string' || req.model.trim() === '') {
    throw ApiError.badRequest('model is required.', 'model');
  }
  const model = req.model.trim().replace(/^models\//, '');
  const inputs = inputsOf(req.input);
  const dimensions: unknown = req.dimensions;
  if (
    dimensions !== undefined &&
    dimensions !== null &&
    (!Number.isInteger(dimensions) || (dimensions as number) < 1)
  ) {
    throw ApiError.badRequest('dimensions must be a positive integer.', 'dimensions');
  }
  const format: unknown = req.encoding_format;
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') {
    throw ApiError.badRequest('encoding_format must be float or base64.', 'encoding_format');
  }
  const { taskType } = readGoogleExtras(req);

  const requests = inputs.map((text): GeminiEmbedContentRequest => {
    const r: GeminiEmbedContentRequest = {
      model: `models/${model}`,
      content: { parts: [{ text }] },
    };
    if (typeof dimensions === 'number') r.outputDimensionality = dimensions;
    if (taskType) r.taskType = taskType;
    return r;
  });
  const batches: GeminiBatchEmbedRequest[] = [];
  for (let i = 0; i < requests.length; i += EMBED_BATCH_LIMIT) {
    batches.push({ requests: requests.slice(i, i + EMBED_BATCH_LIMIT) });
  }
  return { model, batches };
}

/** Little-endian float32, the layout the openai SDKs decode (they ask for base64 by default). */
function toBase64(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer.toString('base64');
}

/**
 * Gemini's embedding answers (one per batch, in order) → OpenAI's list. Google reports no token
 * counts for embeddings, so usage is an estimate of four characters per token.
 */
export function toEmbeddingsResponse(
  responses: GeminiBatchEmbedResponse[],
  req: OpenAIEmbeddingsRequest,
): OpenAIEmbeddingsResponse {
  const inputs = inputsOf(req.input);
  const vectors = responses.flatMap((r) => r.embeddings ?? []);
  if (vectors.length !== inputs.length || vectors.some((v) => !Array.isArray(v.values))) {
    throw new ApiError({
      status: 502,
      kind: 'upstream',
      message: `Google returned ${vectors.length} embeddings for ${inputs.length} inputs.`,
    });
  }
  const base64 = req.encoding_format === 'base64';
  const data = vectors.map((v, index): OpenAIEmbedding => ({
    object: 'embedding',
    index,
    embedding: base64 ? toBase64(v.values ?? []) : (v.values ?? []),
  }));
  const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  return {
    object: 'list',
    data,
    model: req.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
