import type { Dialect } from '../../errors/dialect';
import { openAIErrorBody } from '../common/openai-error-body';
import { sseEvent } from '../common/sse-frame';

/**
 * The Responses API answers in OpenAI's error envelope. A stream it sequences ends with
 * `response.failed` (frames.ts); one that fails outside the sequencer ends with the API's `error` event.
 */
export const responsesDialect: Dialect = {
  errorOf: (error) => ({ status: error.status, body: openAIErrorBody(error) }),
  streamErrorEvent: (error) => {
    const { error: body } = openAIErrorBody(error);
    const event = { type: 'error', code: body.code, message: body.message, param: body.param };
    return sseEvent(event);
  },
};
