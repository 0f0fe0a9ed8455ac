import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AdminCredential, AdminStatus } from '../../src/admin/admin-view';
import { AppModule } from '../../src/app.module';
import { listen } from '../../src/bootstrap';
import { Clock } from '../../src/credentials/clock';
import { RunningProxy, TEST_PASSWORD } from './proxy';

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

/**
 * Starts the real proxy on 127.0.0.1 like startTestProxy, but built through Nest's testing module
 * so that the pool's clock can be swapped at the module seam.
 */
export async function startPoolProxy(
  env: Record<string, string | undefined>,
  options: { clock?: Clock } = {},
): Promise<RunningProxy> {
  const credentialsDir =
    env.PERSISTENT_STORAGE_PATH ?? mkdtempSync(path.join(tmpdir(), 'proxy-creds-'));
  const ownsDir = env.PERSISTENT_STORAGE_PATH === undefined;
  const saved = { ...process.env };
  Object.assign(process.env, {
    GEMINI_AUTH_PASSWORD: TEST_PASSWORD,
    PERSISTENT_STORAGE_PATH: credentialsDir,
    HOST: '127.0.0.1',
    ...env,
  });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let app: NestExpressApplication;
  try {
    let builder = Test.createTestingModule({ imports: [AppModule.register()] });
    if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
    const moduleRef = await builder.compile();
    const logger = process.env.TEST_LOGS ? undefined : false;
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger });
    await listen(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false });
  } finally {
    process.env = saved;
  }
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    credentialsDir,
    close: async () => {
      await app.close();
      if (ownsDir) rmSync(credentialsDir, { recursive: true, force: true });
    },
  };
}

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

/** Clears every disabled mark and cooldown, so that each test starts from a healthy pool. */
export async function enableAll(proxy: RunningProxy): Promise<void> {
  for (const c of (await poolStatus(proxy)).credentials) {
    if (c.state === 'ok') continue;
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
