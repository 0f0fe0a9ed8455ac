import { modelNameProblem } from '../../models/model-names';
/**
 * The shape checks of a Messages request, in Anthropic's wording (`max_tokens: Field required`),
 * run before any translation. Hand-written rather than class-validator DTOs: Claude Code sends
 * 30–80 KB bodies on every turn, and the deep checks (blocks, tools, thinking) happen anyway while
 * the body is translated. Unknown fields are accepted.
 */
export type RequestRule = (body: Record<string, unknown>) => string | undefined;

const ROLES = new Set(['user', 'assistant', 'system']);

function messagesProblem(messages: unknown): string | undefined {
  if (messages === undefined) return 'messages: Field required';
  if (!Array.isArray(messages)) return 'messages: Input should be a valid list';
  for (const [i, msg] of messages.entries()) {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return `messages.${i}: Input should be a valid dictionary`;
    }
    const { role, content } = msg as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return `messages.${i}.role: Input should be 'user', 'assistant' or 'system'`;
    }
    if (typeof content !== 'string' && !Array.isArray(content)) {
      return `messages.${i}.content: Input should be a valid string or list of content blocks`;
    }
  }
  return undefined;
}

function commonProblem(body: Record<string, unknown>): string | undefined {
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string' || body.model.trim() === '') {
    return 'model: Input should be a non-empty string';
  }
  const nameProblem = modelNameProblem(body.model);
  if (nameProblem) return `model: ${nameProblem}`;
  return messagesProblem(body.messages);
}

/** `POST /v1/messages`. */
export const createMessageRule: RequestRule = (body) => {
  const common = commonProblem(body);
  if (common) return common;
  if ((body.messages as unknown[]).length === 0)
    return 'messages: at least one message is required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
    return 'max_tokens: Input should be a valid integer';
  }
  if (body.max_tokens < 1) return 'max_tokens: Input should be greater than or equal to 1';
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    return 'stream: Input should be a valid boolean';
  }
  return undefined;
};

/** `POST /v1/messages/count_tokens`: no `max_tokens`, no `stream`. */
export const countTokensRule: RequestRule = (body) => commonProblem(body);
