import { FakeGoogle } from './fake-google/fake-google';
import { permissionDenied, rateLimited, unauthenticated } from './fake-google/google-errors';
import {
  AUTH,
  generate,
  JSON_AUTH,
  nativeUrl,
  readSse,
  startPoolProxy,
  streamNative,
} from './support/pool-harness';
import { RunningProxy } from './support/proxy';

const KEY_A = 'AIzaMetricsKeyAAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_B = 'AIzaMetricsKeyBBBBBBBBBBBBBBBBBBBBBbbbbb';
const ADA = {
  email: 'ada@example.com',
  refreshToken: 'rt-metrics-ada-12345',
  projectId: 'proj-ada',
};
const NATIVE_ROUTE = '/v1beta/models/:modelAction';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition into samples (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

function value(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found.length ? found.reduce((sum, s) => sum + s.value, 0) : undefined;
}

describe('GET /metrics', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let samples: Sample[];
  let text: string;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
    fake.addOAuthAccount(ADA);
    const accounts = [
      { refresh_token: ADA.refreshToken, project_id: ADA.projectId, user_email: ADA.email },
    ];
    proxy = await startPoolProxy({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B}`,
      CREDENTIALS_JSON_LIST: JSON.stringify(accounts),
    });

    // A handful of requests that exercise every series.
    for (let i = 0; i < 3; i++) expect((await generate(proxy, `plain ${i}`)).status).toBe(200);
    fake.reset();
    fake.failNext(unauthenticated(), { credential: ADA.email });
    for (
      let i = 0;
      i < 3 &&
      !fake.requests.some((r) => r.credential === ADA.email && r.action === 'generateContent');
      i++
    ) {
      expect((await generate(proxy, `oauth ${i}`)).status).toBe(200);
    }
    fake.failNext(rateLimited(30), { credential: KEY_A });
    fake.failNext(
      permissionDenied('SUBSCRIPTION_REQUIRED', 'Licence required.', [
        { description: 'Fix', url: 'https://example.com/fix' },
      ]),
      { credential: ADA.email },
    );
    for (let i = 0; i < 3; i++) expect((await generate(proxy, `trouble ${i}`)).status).toBe(200);
    const thinking = await fetch(
      nativeUrl(proxy, 'gemini-2.5-pro', 'streamGenerateContent', '?alt=sse'),
      {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({
          contents: [{ role: 'user', parts: [{ text: 'think first' }] }],
          generationConfig: { thinkingConfig: { includeThoughts: true } },
        }),
      },
    );
    await readSse(thinking);
    await readSse(await streamNative(proxy, 'streamed'));
    await fetch(`${proxy.url}/no/such/route?key=leaked-password-value`);

    const res = await fetch(`${proxy.url}/metrics`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await res.text();
    samples = parseMetrics(text);
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it('needs the proxy password', async () => {
    expect((await fetch(`${proxy.url}/metrics`)).status).toBe(401);
  });

  it('includes the default process metrics', () => {
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts requests by route template, model and status', () => {
    expect(
      value(samples, 'gemini_proxy_http_requests_total', {
        route: NATIVE_ROUTE,
        model: 'gemini-2.5-flash',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(7);
    expect(
      value(samples, 'gemini_proxy_http_request_duration_seconds_count', { route: NATIVE_ROUTE }),
    ).toBeGreaterThanOrEqual(8);
  });

  it('keeps labels bounded: unknown paths share one route label and no raw URL or query appears', () => {
    expect(
      value(samples, 'gemini_proxy_http_requests_total', { route: 'unmatched', status: '404' }),
    ).toBe(1);
    expect(text).not.toContain('leaked-password-value');
    expect(text).not.toContain(':generateContent');
    expect(text).not.toContain('/no/such/route');
  });

  it('records upstream latency and time to first token', () => {
    expect(
      value(samples, 'gemini_proxy_upstream_latency_seconds_count', {
        action: 'generateContent',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(7);
    expect(
      value(samples, 'gemini_proxy_upstream_latency_seconds_count', {
        action: 'generateContent',
        outcome: 'failure',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      value(samples, 'gemini_proxy_time_to_first_token_seconds_count', {
        model: 'gemini-2.5-flash',
      }),
    ).toBe(1);
    expect(
      value(samples, 'gemini_proxy_time_to_first_token_seconds_count', { model: 'gemini-2.5-pro' }),
    ).toBe(1);
  });

  it('counts failovers, the token-refresh retry, and attempts by verdict', () => {
    expect(
      value(samples, 'gemini_proxy_failovers_total', { action: 'generateContent' }),
    ).toBeGreaterThanOrEqual(2);
    expect(value(samples, 'gemini_proxy_retries_total', { reason: 'token-refresh' })).toBe(1);
    expect(value(samples, 'gemini_proxy_upstream_attempts_total', { result: 'cooldown' })).toBe(1);
    expect(value(samples, 'gemini_proxy_upstream_attempts_total', { result: 'disable' })).toBe(1);
  });

  it('counts cooldowns and disables by Google’s reason', () => {
    expect(
      value(samples, 'gemini_proxy_cooldowns_total', {
        kind: 'rate-limit',
        reason: 'RATE_LIMIT_EXCEEDED',
      }),
    ).toBe(1);
    expect(
      value(samples, 'gemini_proxy_credential_disables_total', { reason: 'SUBSCRIPTION_REQUIRED' }),
    ).toBe(1);
  });

  it('reports credentials by state at scrape time', () => {
    expect(value(samples, 'gemini_proxy_credentials', { state: 'ok' })).toBe(1);
    expect(value(samples, 'gemini_proxy_credentials', { state: 'cooling' })).toBe(1);
    expect(value(samples, 'gemini_proxy_credentials', { state: 'disabled' })).toBe(1);
  });

  it('counts prompt, completion and thought tokens by model, for plain and streamed calls', () => {
    expect(
      value(samples, 'gemini_proxy_tokens_total', { model: 'gemini-2.5-flash', type: 'prompt' }),
    ).toBeGreaterThan(0);
    expect(
      value(samples, 'gemini_proxy_tokens_total', {
        model: 'gemini-2.5-flash',
        type: 'completion',
      }),
    ).toBeGreaterThan(0);
    expect(
      value(samples, 'gemini_proxy_tokens_total', { model: 'gemini-2.5-pro', type: 'thoughts' }),
    ).toBeGreaterThan(0);
  });

  it('counts streams by how they ended', () => {
    expect(value(samples, 'gemini_proxy_streams_total', { outcome: 'complete' })).toBe(2);
  });
});
