import { BENCH_PASSWORD } from './proxy-process';

export const MODEL = 'gemini-2.5-flash';

// Sixty words, so that each of the fake's 20 stream events carries some text (it splits the reply
// at word boundaries) and every event can be matched to its arrival at the client.
const PROMPT =
  'Summarise the following notes for a release announcement in two short paragraphs. ' +
  'The proxy now rotates between many Google accounts, retries on a different credential when ' +
  'one is rate limited, keeps streams alive with heartbeats, and speaks both the OpenAI and the ' +
  'native Gemini dialects. Keep the tone plain, avoid marketing words, and mention that the ' +
  'benchmark compares it with a bare pass-through proxy on the same machine.';

export interface HttpRequestSpec {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A native `generateContent` / `streamGenerateContent` call, as a Gemini SDK sends it. */
export function nativeRequest(opts: {
  stream: boolean;
  apiKey: string;
  marker?: string;
}): HttpRequestSpec {
  const action = opts.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return {
    method: 'POST',
    path: `/v1beta/models/${MODEL}:${action}`,
    headers: { 'content-type': 'application/json', 'x-goog-api-key': opts.apiKey },
    body: JSON.stringify({
      contents: [{ role: 'user', parts: [{ text: withMarker(opts.marker) }] }],
      generationConfig: { temperature: 0.2, maxOutputTokens: 512 },
    }),
  };
}

/** The same question through `/v1/chat/completions`. */
export function openAiRequest(opts: { stream: boolean; marker?: string }): HttpRequestSpec {
  return {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_PASSWORD}` },
    body: JSON.stringify({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are a concise technical writer.' },
        { role: 'user', content: withMarker(opts.marker) },
      ],
      temperature: 0.2,
      max_tokens: 512,
      stream: opts.stream,
    }),
  };
}

function withMarker(marker: string | undefined): string {
  return marker ? `${marker} ${PROMPT}` : PROMPT;
}

/** The text an SSE event carries, native or OpenAI; undefined for role-only, usage or [DONE] events. */
export function eventText(data: string): string | undefined {
  if (data === '[DONE]') return undefined;
  let event: {
    candidates?: { content?: { parts?: { text?: string; thought?: boolean }[] } }[];
    choices?: { delta?: { content?: string | null } }[];
  };
  try {
    event = JSON.parse(data) as typeof event;
  } catch {
    return undefined;
  }
  const native = event.candidates?.[0]?.content?.parts
    ?.filter((p) => typeof p.text === 'string' && !p.thought)
    .map((p) => p.text)
    .join('');
  const text = native ?? event.choices?.[0]?.delta?.content ?? undefined;
  return text ? text : undefined;
}
