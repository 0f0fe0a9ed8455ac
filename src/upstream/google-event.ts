import { GeminiResponse } from './gemini-types';
import { UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

/** One stream event; Google reports a failure mid-stream as an `{error}` event. */
export function parseEvent(data: string): GeminiResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new UpstreamNetworkError('protocol', 'Google sent a stream event that is not JSON');
  }
  if (parsed && typeof parsed === 'object' && 'error' in parsed) {
    const code = (parsed as { error?: { code?: unknown } }).error?.code;
    throw new UpstreamHttpError(typeof code === 'number' ? code : 500, parsed);
  }
  return parsed as GeminiResponse;
}

/** The events of a Gemini-shaped SSE stream (the Gemini API's and Vertex's), blank ones skipped. */
export async function* parseEvents(events: AsyncIterable<string>): AsyncGenerator<GeminiResponse> {
  for await (const data of events) {
    if (data.trim() === '') continue;
    yield parseEvent(data);
  }
}
