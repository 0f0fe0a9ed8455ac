import type { FakeGoogle } from './fake-google';

/** Plain-fetch helpers shared by the fake's own specs. */

export async function refresh(fake: FakeGoogle, refreshToken: string): Promise<Response> {
  return fetch(`${fake.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'client-id',
      client_secret: 'client-secret',
    }),
  });
}

export async function accessToken(fake: FakeGoogle, refreshToken: string): Promise<string> {
  const res = await refresh(fake, refreshToken);
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`refresh failed: ${res.status}`);
  return body.access_token;
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The JSON payload of each `data:` event in an SSE body. */
export function sseEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      if (!block.startsWith('data: ')) throw new Error(`not an SSE data event: ${block}`);
      return JSON.parse(block.slice('data: '.length)) as unknown;
    });
}

/** Reads a body chunk by chunk; resolves with what arrived and the error that ended it, if any. */
export async function readAll(res: Response): Promise<{ text: string; error?: Error }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error: error as Error };
  }
}

export const userTurn = (text: string) => ({
  contents: [{ role: 'user', parts: [{ text }] }],
});

/** Text of candidate `index`'s non-thought parts. */
export function replyText(response: unknown, index = 0): string {
  const candidates = (response as { candidates?: { content?: { parts?: Part[] } }[] }).candidates;
  const parts = candidates?.[index]?.content?.parts ?? [];
  return parts
    .filter((p) => !p.thought)
    .map((p) => p.text ?? '')
    .join('');
}

interface Part {
  text?: string;
  thought?: boolean;
}
