import type { AdminCredential, AdminStatus } from '../../src/admin/admin-view';
import { Clock } from '../../src/time/clock';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './proxy';

/**
 * Real time plus an offset the test moves forward, so cooldowns expire without waiting; or, once
 * frozen, a time that moves only when the test says (countdowns on a page stay put).
 */
export class ManualClock extends Clock {
  private offset = 0;
  private frozenAt: number | undefined;

  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  freeze(): void {
    this.frozenAt = Date.now();
  }
}

export const AUTH = { authorization: `Bearer ${TEST_PASSWORD}` };
export const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

/** The proxy with a swappable clock (the same start-up as every other e2e suite). */
export const startPoolProxy = startTestProxy;

export function nativeUrl(proxy: RunningProxy, model: string, action: string, query = ''): string {
  return `${proxy.url}/v1beta/models/${model}:${action}${query}`;
}

export function userTurn(text: string) {
  return { contents: [{ role: 'user', parts: [{ text }] }] };
}

export function generate(
  proxy: RunningProxy,
  text = 'hello',
  model = 'gemini-2.5-flash',
  init: RequestInit = {},
) {
  return fetch(nativeUrl(proxy, model, 'generateContent'), {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify(userTurn(text)),
    ...init,
  });
}

export function streamNative(
  proxy: RunningProxy,
  text = 'hello',
  model = 'gemini-2.5-flash',
  init: RequestInit = {},
) {
  return fetch(nativeUrl(proxy, model, 'streamGenerateContent', '?alt=sse'), {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify(userTurn(text)),
    ...init,
  });
}

export function chat(proxy: RunningProxy, body: Record<string, unknown>, init: RequestInit = {}) {
  return fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hello' }],
      ...body,
    }),
    ...init,
  });
}

export async function poolStatus(proxy: RunningProxy): Promise<AdminStatus> {
  const res = await fetch(`${proxy.url}/admin/credentials`, { headers: AUTH });
  if (res.status !== 200)
    throw new Error(`/admin/credentials answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as AdminStatus;
}

export async function credentialStatus(proxy: RunningProxy, id: string): Promise<AdminCredential> {
  const found = (await poolStatus(proxy)).credentials.find((c) => c.id === id);
  if (!found) throw new Error(`no credential ${id} in the pool`);
  return found;
}

/**
 * Clears every disabled mark, cooldown and passing fault (which leaves a credential ok but behind
 * the others), so that each test starts from a healthy pool.
 */
export async function enableAll(proxy: RunningProxy): Promise<void> {
  for (const c of (await poolStatus(proxy)).credentials) {
    if (c.state === 'ok' && c.cooldowns.length === 0) continue;
    const res = await fetch(`${proxy.url}/admin/credentials/${encodeURIComponent(c.id)}/enable`, {
      method: 'POST',
      headers: AUTH,
    });
    if (res.status !== 200) throw new Error(`enable ${c.id} answered ${res.status}`);
  }
}

export interface SseFrame {
  /** `comment` for heartbeats (`: keep-alive`), `data` for events. */
  type: 'comment' | 'data';
  text: string;
  /** ms since the request was sent. */
  at: number;
}

/** Reads a whole SSE body frame by frame, noting when each frame arrived. */
export async function readSse(res: Response, startedAt = Date.now()): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const at = Date.now() - startedAt;
      if (frame.startsWith(':')) frames.push({ type: 'comment', text: frame, at });
      else frames.push({ type: 'data', text: frame.replace(/^data: ?/, ''), at });
    }
  }
  return frames;
}

export function dataFrames(frames: SseFrame[]): string[] {
  return frames.filter((f) => f.type === 'data').map((f) => f.text);
}

/** What decides a credential's fate: its state, cooldowns, disabled mark and failure counters. */
export function credentialFates(status: AdminStatus) {
  return status.credentials.map((c) => ({
    id: c.id,
    state: c.state,
    cooldowns: c.cooldowns.map((d) => [d.model, d.reason, d.kind]),
    disabled: c.disabled,
    rateLimits: c.rateLimits,
    errors: c.errors,
  }));
}
