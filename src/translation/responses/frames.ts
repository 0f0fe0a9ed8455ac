import { toErrorFacts } from '../../errors/error-facts';
import type { GeminiResponse } from '../../upstream/gemini-types';
import { sseEvent } from '../common/sse-frame';
import type { ResponseEventSequencer } from './event-sequencer';
import type { ResponseError, ResponseStreamEvent } from './responses-types';

/** One SSE frame of the Responses dialect: the event name, then its JSON. */
export function eventFrame(event: ResponseStreamEvent): string {
  return sseEvent(event);
}

/** Gemini's events → Responses frames, as each arrives; the response is stored before it ends. */
export async function* eventFrames(
  source: AsyncIterable<GeminiResponse>,
  sequencer: ResponseEventSequencer,
  keep: () => Promise<void>,
): AsyncGenerator<string> {
  for (const event of sequencer.start()) yield eventFrame(event);
  for await (const chunk of source) {
    for (const event of sequencer.push(chunk)) yield eventFrame(event);
  }
  const closing = sequencer.finish();
  await keep();
  for (const event of closing) yield eventFrame(event);
}

/** An error after the stream started, as `response.failed` reports it (Codex keys on the code). */
export function failureOf(error: unknown): ResponseError {
  const facts = toErrorFacts(error);
  const code =
    facts.kind === 'rate_limited'
      ? 'rate_limit_exceeded'
      : facts.kind === 'invalid_request'
        ? 'invalid_prompt'
        : 'server_error';
  return { code, message: facts.message };
}

/** The frames that end a started Responses stream on a failure (`response.failed`). */
export function failedFrames(sequencer: ResponseEventSequencer, error: unknown): string {
  return sequencer.fail(failureOf(error)).map(eventFrame).join('');
}
