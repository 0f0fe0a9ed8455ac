import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig, upstreamConfig } from '../config/configuration';
import { SystemClock } from '../credentials/clock';
import { apiKeyCredential } from '../credentials/credential-parser';
import { CredentialPool } from '../credentials/credential-pool';
import { CredentialsService } from '../credentials/credentials.service';
import { InMemoryPoolStateStore } from '../credentials/pool-state-store';
import { ApiError } from '../http/api-error';
import { CodeAssistClient } from './code-assist-client';
import { DebugLog } from './debug-log';
import { UpstreamDispatcher } from './dispatcher';
import { GeminiApiClient } from './gemini-api-client';
import { UpstreamEvents } from './upstream-events';
import { UpstreamHttpError } from './upstream-errors';
import { SendOptions, UpstreamHttp } from './upstream-http';
import { VertexClient } from './vertex/vertex-client';

const KEYS = ['AIzaDispatchKeyA1111', 'AIzaDispatchKeyB2222', 'AIzaDispatchKeyC3333'];

/** The dispatcher over an API-key pool whose network boundary is `send`. */
function setup(send: (options: SendOptions) => Promise<unknown>) {
  const clock = new SystemClock();
  const pool = new CredentialPool(new InMemoryPoolStateStore(), clock);
  pool.replaceAll(KEYS.map(apiKeyCredential));
  const http = { json: send } as unknown as UpstreamHttp;
  const options = { endpoint: 'http://google.invalid', timeoutMs: 1_000 };
  const dispatcher = new UpstreamDispatcher(
    {} as CredentialsService,
    pool,
    clock,
    new CodeAssistClient(http, options),
    new GeminiApiClient(http, options),
    new VertexClient(http, options),
    new DebugLog(false, true),
    new UpstreamEvents(),
    { maxAttempts: 3, timeoutMs: 1_000 } as ConfigType<typeof upstreamConfig>,
    {} as ConfigType<typeof credentialsConfig>,
  );
  return { dispatcher, pool };
}

const signal = new AbortController().signal;

describe('UpstreamDispatcher', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('serialises the body once, however many credentials it tries', async () => {
    const sent: (string | undefined)[] = [];
    const { dispatcher } = setup((options) => {
      sent.push(options.body);
      return Promise.reject(new UpstreamHttpError(503, { error: { code: 503, message: 'busy' } }));
    });
    let serialised = 0;
    const body = {
      toJSON: () => {
        serialised++;
        return { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
      },
    };
    await expect(
      dispatcher.generate({ model: 'gemini-2.5-flash', body: body as never, signal }),
    ).rejects.toMatchObject({ status: 503 });
    expect(sent).toHaveLength(3);
    expect(serialised).toBe(1);
    expect(new Set(sent)).toEqual(
      new Set(['{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}']),
    );
  });

  it('answers 400 for a body it cannot serialise, before calling Google with any credential', async () => {
    const send = jest.fn();
    const { dispatcher, pool } = setup(send);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    await expect(
      dispatcher.generate({ model: 'm', body: { contents: [], deep }, signal }),
    ).rejects.toMatchObject({ status: 400, kind: 'invalid_request' });
    expect(send).not.toHaveBeenCalled();
    expect(pool.status().map((s) => s.counters.requests)).toEqual([0, 0, 0]);
  });

  it('answers 500 for a failure of its own during an attempt, charging no credential and trying no other', async () => {
    const send = jest.fn(() => Promise.reject(new TypeError('x is not a function')));
    const { dispatcher, pool } = setup(send);
    const failure = dispatcher.generate({ model: 'm', body: { contents: [] }, signal });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 500, kind: 'internal' });
    expect(send).toHaveBeenCalledTimes(1);
    for (const s of pool.status()) {
      expect(s).toMatchObject({ state: 'ok', cooldowns: [] });
      expect(s.counters).toMatchObject({ errors: 0, rateLimits: 0 });
    }
  });
});
