import type { Dialect } from '../../errors/dialect';
import { openAIErrorBody } from '../common/openai-error-body';
import { sseData } from '../common/sse-frame';

/** OpenAI chat (and its images, audio, embeddings and models routes): a failed stream ends with the error as a `data:` line. */
export const openAIDialect: Dialect = {
  errorOf: (error) => ({ status: error.status, body: openAIErrorBody(error) }),
  streamErrorEvent: (error) => sseData(JSON.stringify(openAIErrorBody(error))),
};
