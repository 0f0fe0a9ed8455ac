import { ApiError, ApiErrorKind } from '../../errors/api-error';
import { toAnthropicError } from './errors';

const error = (status: number, kind: ApiErrorKind, message = 'm') =>
  new ApiError({ status, kind, message });

describe('toAnthropicError', () => {
  it.each<[number, ApiErrorKind, number, string]>([
    [400, 'invalid_request', 400, 'invalid_request_error'],
    [422, 'invalid_request', 422, 'invalid_request_error'],
    [401, 'authentication', 401, 'authentication_error'],
    [403, 'permission', 403, 'permission_error'],
    [404, 'not_found', 404, 'not_found_error'],
    [413, 'invalid_request', 413, 'request_too_large'],
    [429, 'rate_limited', 429, 'rate_limit_error'],
    [500, 'upstream', 500, 'api_error'],
    [500, 'internal', 500, 'api_error'],
    [502, 'upstream', 502, 'api_error'],
    [503, 'upstream', 529, 'overloaded_error'],
    [503, 'no_credentials', 503, 'api_error'],
    [504, 'timeout', 504, 'timeout_error'],
  ])('%i %s → %i %s', (status, kind, wantStatus, type) => {
    const { status: got, body } = toAnthropicError(error(status, kind), 'req_1');
    expect(got).toBe(wantStatus);
    expect(body).toEqual({ type: 'error', error: { type, message: 'm' }, request_id: 'req_1' });
  });

  it('rewrites Google’s over-long prompt error in the words Claude Code recovers from', () => {
    const google = error(
      400,
      'invalid_request',
      'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
    );
    expect(toAnthropicError(google).body.error.message).toBe(
      'prompt is too long: 1200000 tokens > 1048576 maximum',
    );
  });
});
