import type { IncomingHttpHeaders } from 'node:http';
import { conversationKey } from './conversation-key';
import { QuotaRequest } from './quota-router';

/**
 * The client's own request behind a dispatch's abort signal (headers, and the body the body guard
 * parsed onto it). Bound where the app is composed (state/shared-state.module.ts) from the Express
 * edge, which the domain never imports.
 */
export type ClientRequestReader = (
  signal: AbortSignal,
) => { headers?: IncomingHttpHeaders; body?: unknown } | undefined;
export const CLIENT_REQUEST_READER = Symbol('CLIENT_REQUEST_READER');

/** Rough input tokens before Google counts them: about four bytes of JSON per token. */
const BYTES_PER_TOKEN = 4;

/**
 * What the quota router needs of one dispatch. countTokens is free of Google's generate quotas, so
 * it is not counted. The conversation is read from the client's own request (headers and parsed
 * body, reached through the request's abort signal) and the body as Google will get it.
 */
export function quotaRequestOf(
  action: string,
  req: { model: string; body: unknown; signal: AbortSignal },
  payload: string | undefined,
  clientOf: ClientRequestReader,
): QuotaRequest | undefined {
  if (action === 'countTokens') return undefined;
  const client = clientOf(req.signal);
  const clientBody = client?.body;
  return {
    model: req.model,
    tokens: Math.ceil((payload?.length ?? 0) / BYTES_PER_TOKEN),
    conversation: action.startsWith('embed')
      ? undefined
      : conversationKey(client?.headers, clientBody, req.body),
  };
}
