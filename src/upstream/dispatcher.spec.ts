import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { SystemClock } from '../time/clock';
import { apiKeyCredential } from '../credentials/credential-parser';
import { CredentialPool } from '../credentials/credential-pool';
import { InMemoryPoolStateStore } from '../credentials/pool-state-store';
import { ApiError } from '../errors/api-error';
import { CodeAssistBackend } from './code-assist/code-assist-backend';
import { CodeAssistClient } from './code-assist/code-assist-client';
import { CodeAssistSessions } from './code-assist/code-assist-sessions';
import { DebugLog } from './debug-log';
import { UpstreamDispatcher } from './dispatcher';
import { FailurePolicy } from './failure-policy';
import { GeminiApiClient } from './gemini-api/gemini-api-client';
import { UpstreamBackends } from './upstream-backends';
import { UpstreamEvents } from './upstream-events';
import { UpstreamHttpError } from './upstream-errors';
import { SendOptions, UpstreamHttp } from './upstream-http';

const KEYS = ['AIzaDispatchKeyA1111', 'AIzaDispatchKeyB2222', 'AIzaDispatchKeyC3333'];

/** The dispatcher over an API-key pool whose network boundary is `send`. */
function setup(send: (options: SendOptions) => Promise<unknown>) {
  const clock = new SystemClock();
  const pool = new CredentialPool(new InMemoryPoolStateStore(), clock);
  pool.replaceAll(KEYS.map(apiKeyCredential));
  const http = { json: send } as unknown as UpstreamHttp;
  const options = { endpoint: 'http://google.invalid', timeoutMs: 1_000 };
  const events = new UpstreamEvents();
  const codeAssist = new CodeAssistClient(http, options);
  const backends = new UpstreamBackends([
    new CodeAssistBackend(codeAssist, {} as CodeAssistSessions),
    new GeminiApiClient(http, options),
  ]);
  const dispatcher = new UpstreamDispatcher(
    pool,
    clock,
    backends,
    new FailurePolicy(pool, clock, events),
    new DebugLog(false, true),
    events,
    { maxAttempts: 3, timeoutMs: 1_000 } as ConfigType<typeof upstreamConfig>,
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
