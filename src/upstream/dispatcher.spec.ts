import { RequestContext } from '../request/request-context';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { Clock, SystemClock } from '../time/clock';
import { apiKeyCredential } from '../credentials/credential-parser';
import { CredentialPool } from '../credentials/credential-pool';
import { InMemoryPoolStateStore } from '../credentials/pool-state-store';
import { ApiError } from '../errors/api-error';
import { CodeAssistBackend } from './code-assist/code-assist-backend';
import { CodeAssistClient } from './code-assist/code-assist-client';
import { CodeAssistSessions } from './code-assist/code-assist-sessions';
import { DebugLog } from './debug-log';
import { UpstreamDispatcher } from './dispatcher';
import { CallQuota } from './call-quota';
import { FailurePolicy } from './failure-policy';
import { GeminiApiClient } from './gemini-api/gemini-api-client';
import { UpstreamBackends } from './upstream-backends';
import { UpstreamEvents } from './upstream-events';
import { UpstreamHttpError } from './upstream-errors';
import { SendOptions, UpstreamHttp } from './upstream-http';

const KEYS = ['AIzaDispatchKeyA1111', 'AIzaDispatchKeyB2222', 'AIzaDispatchKeyC3333'];

interface DispatcherParts {
  pool: CredentialPool;
  backends: UpstreamBackends;
  clock: Clock;
  events: UpstreamEvents;
  failures: FailurePolicy;
  debug: DebugLog;
  upstream: Partial<ConfigType<typeof upstreamConfig>>;
  quota: CallQuota;
}

/** An UpstreamDispatcher from named parts; what a test leaves out gets a quiet default. */
function makeDispatcher({
  pool,
  backends,
  clock = new SystemClock(),
  events = new UpstreamEvents(),
  failures = new FailurePolicy(pool, clock, events),
  debug = new DebugLog(false, true),
  upstream = {},
  quota = NO_QUOTA,
}: Pick<DispatcherParts, 'pool' | 'backends'> & Partial<DispatcherParts>): UpstreamDispatcher {
  const config = { maxAttempts: 3, timeoutMs: 1_000, ...upstream };
  return new UpstreamDispatcher(
    pool,
    clock,
    backends,
    failures,
    debug,
    events,
    config as ConfigType<typeof upstreamConfig>,
    quota,
  );
}

/** Selection without quota: the pool's own choice (quota routing is quota/'s and the e2e specs'). */
const NO_QUOTA: CallQuota = {
  useUserQuotaReader: () => undefined,
  requestOf: () => undefined,
  select: (_request, choose) => Promise.resolve(choose(new Set())),
  served: () => undefined,
  usage: () => undefined,
  failed: () => Promise.resolve(),
};

/** The dispatcher over an API-key pool whose network boundary is `send`. */
function setup(send: (options: SendOptions) => Promise<unknown>) {
  const clock = new SystemClock();
  const pool = new CredentialPool(new InMemoryPoolStateStore(), clock);
  pool.replaceAll(KEYS.map((key) => apiKeyCredential(key)));
  const http = { json: send } as unknown as UpstreamHttp;
  const options = { endpoint: 'http://google.invalid', timeoutMs: 1_000 };
  const backends = new UpstreamBackends([
    new CodeAssistBackend(new CodeAssistClient(http, options), {} as CodeAssistSessions),
    new GeminiApiClient(http, options),
  ]);
  return { dispatcher: makeDispatcher({ pool, backends, clock }), pool };
}

const context = new RequestContext();

describe('UpstreamDispatcher', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('serialises the body once, however many credentials it tries', async () => {
    const sent: (string | undefined)[] = [];
    const { dispatcher } = setup((options) => {
      sent.push(options.body as string | undefined);
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
      dispatcher.generate({ model: 'gemini-2.5-flash', body: body as never, context }),
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
      dispatcher.generate({ model: 'm', body: { contents: [], deep }, context }),
    ).rejects.toMatchObject({ status: 400, kind: 'invalid_request' });
    expect(send).not.toHaveBeenCalled();
    expect(pool.status().map((s) => s.counters.requests)).toEqual([0, 0, 0]);
  });

  it('answers 500 for a failure of its own during an attempt, charging no credential and trying no other', async () => {
    const send = jest.fn(() => Promise.reject(new TypeError('x is not a function')));
    const { dispatcher, pool } = setup(send);
    const failure = dispatcher.generate({ model: 'm', body: { contents: [] }, context });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 500, kind: 'internal' });
    expect(send).toHaveBeenCalledTimes(1);
    for (const s of pool.status()) {
      expect(s).toMatchObject({ state: 'ok', cooldowns: [] });
      expect(s.counters).toMatchObject({ errors: 0, rateLimits: 0 });
    }
  });
});
