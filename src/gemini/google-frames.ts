import { googleDialect, googleErrorBody } from '../errors/google-dialect';
import { toErrorFacts } from '../errors/error-facts';
import type { GeminiResponse } from '../upstream/gemini-types';

/** The native dialect's `alt=sse` frames: each of Google's events as it came. */
export async function* googleSseFrames(
  source: AsyncIterable<GeminiResponse>,
): AsyncGenerator<string> {
  for await (const event of source) yield `data: ${JSON.stringify(event)}\n\n`;
}

/** A failure after a native SSE stream started, in Google's error shape. */
export function googleSseErrorFrame(error: unknown): string {
  return googleDialect.streamErrorEvent(toErrorFacts(error));
}

/**
 * Without `alt=sse` Google streams one JSON array, element by element. The frames and the error
 * frame share whether the array is open, so a failure mid-stream still closes valid JSON.
 */
export class GoogleJsonArrayFrames {
  static readonly CONTENT_TYPE = 'application/json; charset=UTF-8';
  /** What keeps an idle array stream alive: whitespace, which JSON allows between elements. */
  static readonly HEARTBEAT = '\n';
  static readonly TRAILER = ']';
  private opened = false;

  async *frames(source: AsyncIterable<GeminiResponse>): AsyncGenerator<string> {
    for await (const event of source) yield this.element(event);
  }

  errorFrame(error: unknown): string {
    return `${this.element(googleErrorBody(toErrorFacts(error)))}]`;
  }

  private element(value: unknown): string {
    const frame = `${this.opened ? ',\r\n' : '['}${JSON.stringify(value)}`;
    this.opened = true;
    return frame;
  }
}
