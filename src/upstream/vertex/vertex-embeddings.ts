import { JsonObject } from '../gemini-types';
import { EmbedAction } from '../upstream-backend';

/** One Gemini API `EmbedContentRequest`, as `embedContent` takes it and `batchEmbedContents` lists it. */
interface GeminiEmbedRequest {
  content?: { parts?: { text?: unknown }[] };
  taskType?: unknown;
  title?: unknown;
  outputDimensionality?: unknown;
}

/** How one Vertex call embeds some of the inputs. */
export type VertexEmbedCall =
  | { method: 'predict'; body: Record<string, unknown>; count: number }
  | { method: 'embedContent'; body: Record<string, unknown>; count: 1 };

/** Vertex takes at most 250 instances per `predict` for the text-embedding models. */
const PREDICT_BATCH = 250;

/**
 * Vertex serves embeddings in two shapes. The text-embedding models and gemini-embedding-001
 * take `:predict` with `instances` (gemini-embedding-001 only one instance per call); the newer
 * Gemini embedding models take `:embedContent` with a Content, one per call. Neither has the
 * Gemini API's `batchEmbedContents`, so a batch becomes several calls.
 */
export function usesEmbedContent(model: string): boolean {
  return /^gemini-embedding-/.test(model) && model !== 'gemini-embedding-001';
}

/** The Gemini API's embedContent or batchEmbedContents body as Vertex calls. */
export function toVertexEmbedCalls(
  model: string,
  action: EmbedAction,
  body: JsonObject,
): VertexEmbedCall[] {
  const requests = (
    action === 'embedContent' ? [body] : Array.isArray(body.requests) ? body.requests : []
  ) as GeminiEmbedRequest[];
  if (usesEmbedContent(model)) {
    return requests.map((r) => ({
      method: 'embedContent',
      count: 1,
      body: strip({
        content: r.content ?? { parts: [] },
        taskType: r.taskType,
        title: r.title,
        outputDimensionality: r.outputDimensionality,
      }),
    }));
  }
  const size = model.startsWith('gemini-') ? 1 : PREDICT_BATCH;
  const calls: VertexEmbedCall[] = [];
  for (let i = 0; i < requests.length; i += size) {
    const chunk = requests.slice(i, i + size);
    const dims = chunk.find((r) => r.outputDimensionality !== undefined)?.outputDimensionality;
    calls.push({
      method: 'predict',
      count: chunk.length,
      body: {
        instances: chunk.map((r) =>
          strip({ content: textOf(r), task_type: r.taskType, title: r.title }),
        ),
        parameters: strip({ outputDimensionality: dims, autoTruncate: true }),
      },
    });
  }
  return calls;
}

/** Vertex's answers, in call order, as the Gemini API's answer to the original action. */
export function fromVertexEmbeddings(
  action: EmbedAction,
  calls: readonly VertexEmbedCall[],
  answers: readonly JsonObject[],
): JsonObject {
  const vectors: { values: number[] }[] = [];
  calls.forEach((call, i) => {
    const answer = answers[i] as {
      embedding?: { values?: number[] };
      predictions?: { embeddings?: { values?: number[] } }[];
    };
    if (call.method === 'embedContent') {
      vectors.push({ values: answer.embedding?.values ?? [] });
    } else {
      for (const p of answer.predictions ?? [])
        vectors.push({ values: p.embeddings?.values ?? [] });
    }
  });
  return action === 'embedContent'
    ? { embedding: vectors[0] ?? { values: [] } }
    : { embeddings: vectors };
}

function textOf(request: GeminiEmbedRequest): string {
  const parts = request.content?.parts ?? [];
  return parts.map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
}

function strip(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
