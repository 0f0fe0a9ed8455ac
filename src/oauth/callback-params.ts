import { LoginError } from './login-errors';

/** What Google appends to the redirect URI: `code` and `state`, or `error` on refusal. */
export interface CallbackParams {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

/** Reads the callback's query; repeated parameters count as absent rather than picking one. */
export function callbackParamsFromQuery(query: Record<string, unknown>): CallbackParams {
  const one = (name: string) => {
    const value = query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    code: one('code'),
    state: one('state'),
    error: one('error'),
    errorDescription: one('error_description'),
  };
}

/**
 * Reads the address a user copied from the browser bar after Google sent them to an
 * unreachable `DOMAIN_NAME/oauth2callback`. Accepts the whole URL or just its query part.
 */
export function callbackParamsFromPastedUrl(text: unknown): CallbackParams {
  const pasted = typeof text === 'string' ? text.trim() : '';
  if (pasted === '' || pasted.length > 8192) throw new LoginError({ kind: 'invalid-callback-url' });
  const queryStart = pasted.indexOf('?');
  const query = queryStart >= 0 ? pasted.slice(queryStart + 1) : pasted;
  const params = new URLSearchParams(query.split('#')[0]);
  const fromQuery: Record<string, string> = {};
  for (const name of ['code', 'state', 'error', 'error_description']) {
    const values = params.getAll(name);
    if (values.length === 1) fromQuery[name] = values[0];
  }
  const result = callbackParamsFromQuery(fromQuery);
  if (!result.state || (!result.code && !result.error)) {
    throw new LoginError({ kind: 'invalid-callback-url' });
  }
  return result;
}
