import { RequestContext } from '../request/request-context';
import { conversationKey } from './conversation-key';
import { QuotaRequest } from './quota-router';

/** Rough input tokens before Google counts them: about four bytes of JSON per token. */
const BYTES_PER_TOKEN = 4;

/**
 * What the quota router needs of one dispatch. countTokens is free of Google's generate quotas, so
 * it is not counted. The conversation is read from the client's own request (headers, and the body
 * the body guard parsed onto it before the route ran), which the request's context carries, and
 * the body as Google will get it.
 */
export function quotaRequestOf(
  action: string,
  req: { model: string; body: unknown; context: RequestContext },
  payload: string | undefined,
  withConversation = true,
): QuotaRequest | undefined {
  if (action === 'countTokens') return undefined;
  const client = req.context.client;
  const clientBody = (client as { body?: unknown } | undefined)?.body;
  return {
    model: req.model,
    tokens: Math.ceil((payload?.length ?? 0) / BYTES_PER_TOKEN),
    // Hashing the opening is the costly part: skipped when affinity is off or cannot apply.
    conversation:
      !withConversation || action.startsWith('embed')
        ? undefined
        : conversationKey(client?.headers, clientBody, req.body),
  };
}
