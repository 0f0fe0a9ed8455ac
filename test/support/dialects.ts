import { JSON_AUTH } from './pool-harness';
import type { RunningProxy } from './proxy';

/** One client dialect's route, in its own shapes: where every per-request rule must hold. */
export interface Dialect {
  name: string;
  path: string;
  /** A request with these image URLs (after a text part). */
  withImages(urls: string[]): Record<string, unknown>;
  /** A request offering these function tools (name + JSON schema). */
  withTools(tools: { name: string; schema: Record<string, unknown> }[]): Record<string, unknown>;
  /** The message of an error body. */
  errorMessage(body: unknown): string;
}

const text = { type: 'text', text: 'look' };
const openAIError = (body: unknown) => (body as { error: { message: string } }).error.message;

const CHAT: Dialect = {
  name: 'chat completions',
  path: '/v1/chat/completions',
  withImages: (urls) => ({
    model: 'gemini-2.5-flash',
    messages: [
      {
        role: 'user',
        content: [text, ...urls.map((url) => ({ type: 'image_url', image_url: { url } }))],
      },
    ],
  }),
  withTools: (tools) => ({
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: 'hello' }],
    tools: tools.map((t) => ({
      type: 'function',
      function: { name: t.name, parameters: t.schema },
    })),
  }),
  errorMessage: openAIError,
};

export const responsesBody = {
  withImages: (urls: string[]) => ({
    model: 'gemini-2.5-flash',
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          ...urls.map((url) => ({ type: 'input_image', image_url: url })),
        ],
      },
    ],
  }),
  withTools: (tools: { name: string; schema: Record<string, unknown> }[]) => ({
    model: 'gemini-2.5-flash',
    input: 'hello',
    tools: tools.map((t) => ({ type: 'function', name: t.name, parameters: t.schema })),
  }),
  errorMessage: openAIError,
};

const messagesBody = {
  withImages: (urls: string[]) => ({
    model: 'gemini-2.5-flash',
    max_tokens: 100,
    messages: [
      {
        role: 'user',
        content: [text, ...urls.map((url) => ({ type: 'image', source: { type: 'url', url } }))],
      },
    ],
  }),
  withTools: (tools: { name: string; schema: Record<string, unknown> }[]) => ({
    model: 'gemini-2.5-flash',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'hello' }],
    tools: tools.map((t) => ({ name: t.name, input_schema: t.schema })),
  }),
  errorMessage: (body: unknown) => (body as { error: { message: string } }).error.message,
};

export const DIALECTS: Dialect[] = [
  CHAT,
  { name: 'responses', path: '/v1/responses', ...responsesBody },
  { name: 'responses input_tokens', path: '/v1/responses/input_tokens', ...responsesBody },
  { name: 'messages', path: '/v1/messages', ...messagesBody },
  { name: 'messages count_tokens', path: '/v1/messages/count_tokens', ...messagesBody },
];

export function post(
  proxy: RunningProxy,
  path: string,
  body: Record<string, unknown>,
  init: RequestInit = {},
) {
  return fetch(`${proxy.url}${path}`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify(body),
    ...init,
  });
}
