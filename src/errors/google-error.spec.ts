import { readGoogleError } from './google-error';

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

function rpc(
  code: number,
  status: string,
  message: string,
  details: Record<string, unknown>[] = [],
) {
  return { error: { code, message, status, details } };
}

const GEMINI_API_PER_MINUTE = rpc(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
  {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
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
]);

describe('readGoogleError', () => {
  it('finds details whose @type key carries stray whitespace', () => {
    const body = rpc(429, 'RESOURCE_EXHAUSTED', 'x', [
      { ' @type': ERROR_INFO, reason: 'RATE_LIMIT_EXCEEDED' },
    ]);
    expect(readGoogleError(body)?.errorInfo?.reason).toBe('RATE_LIMIT_EXCEEDED');
  });

  it('reads an ErrorInfo that has no @type, as Code Assist sent with SUBSCRIPTION_REQUIRED', () => {
    const body = rpc(403, 'PERMISSION_DENIED', 'You do not have a valid license… (#3501)', [
      { reason: 'SUBSCRIPTION_REQUIRED', domain: 'cloudaicompanion.googleapis.com' },
    ]);
    expect(readGoogleError(body)?.errorInfo).toEqual({
      reason: 'SUBSCRIPTION_REQUIRED',
      domain: 'cloudaicompanion.googleapis.com',
      metadata: {},
    });
  });

  it('collects quota ids and help links', () => {
    const parsed = readGoogleError(GEMINI_API_PER_MINUTE);
    expect([parsed?.quotaIds, parsed?.helpLinks]).toEqual([
      ['GenerateRequestsPerMinutePerProjectPerModel-FreeTier'],
      [
        {
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
          description: 'Learn more about Gemini API quotas',
        },
      ],
    ]);
  });

  it('returns undefined for a body that is not a Google error', () => {
    expect(readGoogleError('upstream connect error')).toBeUndefined();
  });

  it('reads an error wrapped in an array, as Code Assist sometimes sends it', () => {
    const google = readGoogleError([rpc(429, 'RESOURCE_EXHAUSTED', 'slow down')]);
    expect([google?.code, google?.status, google?.message]).toEqual([
      429,
      'RESOURCE_EXHAUSTED',
      'slow down',
    ]);
  });
});
