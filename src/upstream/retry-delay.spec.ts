import { durationMs, retryHint } from './retry-delay';

/** Milliseconds to wait before this credential may serve this model again, or undefined. */
const retryDelayMs = (...args: Parameters<typeof retryHint>) => retryHint(...args)?.ms;

const NOW = Date.parse('2026-09-11T10:00:00Z');
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

function rpc(
  code: number,
  status: string,
  message: string,
  details: Record<string, unknown>[] = [],
) {
  return { error: { code, message, status, details } };
}

/** Gemini API free tier, per-minute limit: QuotaFailure + Help + RetryInfo. */
const GEMINI_API_PER_MINUTE = rpc(
  429,
  'RESOURCE_EXHAUSTED',
  'You exceeded your current quota, please check your plan and billing details.\n* Quota exceeded for metric: ' +
    'generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-2.5-flash\n' +
    'Please retry in 34.073589918s.',
  [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
          quotaValue: '10',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
    { '@type': RETRY_INFO, retryDelay: '34s' },
  ],
);

/** Code Assist's capacity answer: ErrorInfo metadata and RetryInfo saying the same thing. */
function codeAssistQuota(metadata: Record<string, string>, message: string, retryDelay?: string) {
  const details: Record<string, unknown>[] = [
    {
      '@type': ERROR_INFO,
      reason: 'QUOTA_EXHAUSTED',
      domain: 'cloudcode-pa.googleapis.com',
      metadata,
    },
  ];
  if (retryDelay) details.push({ '@type': RETRY_INFO, retryDelay });
  return rpc(429, 'RESOURCE_EXHAUSTED', message, details);
}

describe('retryDelayMs', () => {
  it.each<[string, number, unknown, { retryAfter?: string }, number | undefined]>([
    ['reads RetryInfo in whole seconds', 429, GEMINI_API_PER_MINUTE, {}, 34_000],
    [
      'reads RetryInfo with nanoseconds',
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'x', [{ '@type': RETRY_INFO, retryDelay: '0.479417207s' }]),
      {},
      480,
    ],
    [
      'reads RetryInfo in milliseconds',
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'x', [{ '@type': RETRY_INFO, retryDelay: '500ms' }]),
      {},
      500,
    ],
    [
      'reads RetryInfo as a Duration object',
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'x', [
        { '@type': RETRY_INFO, retryDelay: { seconds: '3', nanos: 500_000_000 } },
      ]),
      {},
      3500,
    ],
    [
      'reads quotaResetDelay in hours, minutes and seconds',
      429,
      codeAssistQuota({ quotaResetDelay: '1h2m3.5s' }, 'x'),
      {},
      3_723_500,
    ],
    [
      'reads quotaResetDelay in fractional milliseconds',
      429,
      codeAssistQuota({ quotaResetDelay: '479.417207ms' }, 'x'),
      {},
      480,
    ],
    [
      'reads quotaResetTimeStamp in the future',
      429,
      codeAssistQuota({ quotaResetTimeStamp: '2026-09-11T12:36:24Z' }, 'x'),
      {},
      9_384_000,
    ],
    [
      'reads quotaResetTimeStamp already past',
      429,
      codeAssistQuota({ quotaResetTimeStamp: '2026-09-11T09:00:00Z' }, 'x'),
      {},
      0,
    ],
    [
      'reads "reset after" with hours in the message',
      429,
      codeAssistQuota(
        {},
        'You have exhausted your capacity on this model. Your quota will reset after 2h36m24s.',
      ),
      {},
      9_384_000,
    ],
    [
      'reads "reset after 53s" in the message (CPA#1702)',
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'Your quota will reset after 53s.'),
      {},
      53_000,
    ],
    [
      'reads "Please retry in" in the message',
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded. Please retry in 37.2s.'),
      {},
      37_200,
    ],
    [
      'reads "reset after" in a plain-text body',
      429,
      'Rate limited; quota will reset after 1m30s',
      {},
      90_000,
    ],
    ['reads Retry-After in seconds on a 429', 429, undefined, { retryAfter: '120' }, 120_000],
    [
      'reads Retry-After as an HTTP date on a 503',
      503,
      'Service Unavailable',
      { retryAfter: 'Fri, 11 Sep 2026 10:01:00 GMT' },
      60_000,
    ],
    [
      'ignores Retry-After on a 400, where it means nothing',
      400,
      undefined,
      { retryAfter: '120' },
      undefined,
    ],
    [
      'reads an error wrapped in an array (gemini-cli #6454)',
      429,
      [GEMINI_API_PER_MINUTE],
      {},
      34_000,
    ],
    [
      'finds nothing when the only delay is unparseable',
      429,
      codeAssistQuota(
        { quotaResetDelay: 'soon' },
        'Resource has been exhausted (e.g. check quota).',
      ),
      {},
      undefined,
    ],
    [
      'finds nothing in a 429 without any hint',
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'),
      {},
      undefined,
    ],
  ])('%s', (_case, status, body, headers, expected) => {
    expect(retryDelayMs(status, body, headers, NOW)).toBe(expected);
  });

  it('prefers RetryInfo over the ErrorInfo metadata', () => {
    const body = codeAssistQuota({ quotaResetDelay: '20s' }, 'x', '10s');
    expect(retryDelayMs(429, body, {}, NOW)).toBe(10_000);
  });

  it('prefers quotaResetDelay over quotaResetTimeStamp', () => {
    const body = codeAssistQuota(
      { quotaResetDelay: '20s', quotaResetTimeStamp: '2026-09-11T11:00:00Z' },
      'x',
    );
    expect(retryDelayMs(429, body, {}, NOW)).toBe(20_000);
  });

  it('prefers the body over the Retry-After header', () => {
    expect(retryDelayMs(429, GEMINI_API_PER_MINUTE, { retryAfter: '5' }, NOW)).toBe(34_000);
  });
});

describe('retryHint', () => {
  it('names the source the delay came from', () => {
    const body = codeAssistQuota({ quotaResetTimeStamp: '2026-09-11T10:00:30Z' }, 'x');
    expect(retryHint(429, body, {}, NOW)).toEqual({ ms: 30_000, source: 'quotaResetTimeStamp' });
  });
});

describe('durationMs', () => {
  it.each<[string, number | undefined]>([
    ['34s', 34_000],
    ['1.5s', 1500],
    ['500ms', 500],
    ['1h2m3s', 3_723_000],
    ['2m', 120_000],
    ['1500us', 2],
    ['34', undefined],
    ['34s later', undefined],
    ['', undefined],
  ])('parses %j', (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });
});
