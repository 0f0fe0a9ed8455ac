import type { Dialect } from '../errors/dialect';
import { openAIDialect } from '../translation/openai/errors';

/**
 * Errors on /admin: a 401 challenges for Basic auth so that a browser asks for the password (any
 * user name; the password is the proxy's), browsers get a small HTML page, other clients the JSON
 * error shape of the OpenAI routes.
 */
export const adminDialect: Dialect = {
  ...openAIDialect,
  challenge: 'Basic realm="Gemini proxy admin", charset="UTF-8"',
  page: { view: 'admin-error', context: 'Admin' },
};
