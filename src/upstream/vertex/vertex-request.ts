import { JsonObject } from '../gemini-types';

interface NativeContent {
  role?: unknown;
  [key: string]: unknown;
}

/**
 * The generate body as Vertex takes it. The Gemini API reads a content without `role` as the
 * user's; Vertex refuses it ("Please use a valid role: user, model."), so the role is filled in.
 * Bodies that need nothing keep the shared serialisation.
 */
export function toVertexGenerateBody(body: unknown, json: () => string): string {
  const contents = (body as { contents?: unknown } | undefined)?.contents;
  if (!Array.isArray(contents) || contents.every(hasRole)) return json();
  return JSON.stringify({
    ...(body as JsonObject),
    contents: contents.map((c: unknown) =>
      isObject(c) && !hasRole(c) ? { ...c, role: 'user' } : c,
    ),
  });
}

/**
 * The Gemini API's countTokens body (`contents`, or a whole `generateContentRequest`) as
 * Vertex's, which has no `generateContentRequest` wrapper and takes the request's fields at the
 * top level (and no `model` field of the Gemini API's form).
 */
export function toVertexCountTokensBody(body: unknown): string {
  const native = (isObject(body) ? body : {}) as {
    contents?: unknown;
    generateContentRequest?: JsonObject;
  };
  const source = native.generateContentRequest ?? (native as JsonObject);
  const out: Record<string, unknown> = {};
  for (const field of ['contents', 'systemInstruction', 'tools', 'generationConfig'] as const) {
    if (source[field] !== undefined) out[field] = source[field];
  }
  if (out.contents === undefined) out.contents = native.contents ?? [];
  return toVertexGenerateBody(out, () => JSON.stringify(out));
}

function hasRole(content: unknown): boolean {
  return (
    isObject(content) &&
    typeof (content as NativeContent).role === 'string' &&
    (content as NativeContent).role !== ''
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
