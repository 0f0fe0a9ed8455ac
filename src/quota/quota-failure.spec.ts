import { readQuotaLesson } from './quota-failure';

const violation = (
  quotaId: string,
  quotaValue: string,
  metric = 'generate_content_free_tier_requests',
) => ({
  quotaMetric: `generativelanguage.googleapis.com/${metric}`,
  quotaId,
  quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
  quotaValue,
});

const body = (details: unknown[]) => ({
  error: {
    code: 429,
    message: 'You exceeded your current quota',
    status: 'RESOURCE_EXHAUSTED',
    details,
  },
});

const quotaFailure = (...violations: unknown[]) => ({
  '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
  violations,
});
const retryInfo = (retryDelay: string) => ({
  '@type': 'type.googleapis.com/google.rpc.RetryInfo',
  retryDelay,
});

describe('readQuotaLesson', () => {
  it.each([
    ['GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '5', 'rpm', 5],
    ['GenerateRequestsPerDayPerProjectPerModel-FreeTier', '20', 'rpd', 20],
    ['GenerateContentInputTokensPerModelPerMinute-FreeTier', '250000', 'tpm', 250000],
  ])('reads %s as the %s window of size %s', (quotaId, value, limit, size) => {
    const lesson = readQuotaLesson(
      body([quotaFailure(violation(quotaId, value)), retryInfo('26s')]),
    );
    expect(lesson?.violations).toEqual([{ limit, value: size, quotaId }]);
  });

  it('reads every violation of one error', () => {
    const lesson = readQuotaLesson(
      body([
        quotaFailure(
          violation('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '10'),
          violation(
            'GenerateContentInputTokensPerModelPerMinute-FreeTier',
            '250000',
            'generate_content_free_tier_input_token_count',
          ),
        ),
      ]),
    );
    expect(lesson?.violations.map((v) => [v.limit, v.value])).toEqual([
      ['rpm', 10],
      ['tpm', 250000],
    ]);
    expect(lesson?.perDay).toBe(false);
  });

  it('takes a PerDay violation as the end of the day whatever RetryInfo says', () => {
    const lesson = readQuotaLesson(
      body([
        quotaFailure(violation('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '20')),
        retryInfo('0s'),
      ]),
    );
    expect(lesson?.perDay).toBe(true);
  });

  it('takes a RetryInfo over 300 s as the end of the day, as Google’s CLI does', () => {
    expect(readQuotaLesson(body([retryInfo('301s')]))?.perDay).toBe(true);
    expect(readQuotaLesson(body([retryInfo('300s')]))).toBeUndefined();
  });

  it("takes Code Assist's quota_limit metadata naming a day as the end of the day", () => {
    const lesson = readQuotaLesson(
      body([
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          metadata: { quota_limit: 'Gemini25ProRequestsPerDayPerUserPerTier' },
        },
      ]),
    );
    expect(lesson?.perDay).toBe(true);
  });

  it('keeps a violation without a usable quotaValue, with no size', () => {
    const lesson = readQuotaLesson(
      body([
        quotaFailure(violation('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'lots')),
      ]),
    );
    expect(lesson?.violations).toEqual([
      {
        limit: 'rpm',
        value: undefined,
        quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
      },
    ]);
  });

  it('reads an error wrapped in an array (gemini-cli #6454)', () => {
    const lesson = readQuotaLesson([
      body([quotaFailure(violation('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '5'))]),
    ]);
    expect(lesson?.violations[0].value).toBe(5);
  });

  it('has nothing to say about a bare 429', () => {
    expect(readQuotaLesson(body([]))).toBeUndefined();
    expect(readQuotaLesson('Too Many Requests')).toBeUndefined();
  });
});
