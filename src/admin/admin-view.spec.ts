import { CredentialStatus } from '../credentials/credential-pool';
import { safeLink, toAdminStatus } from './admin-view';

const NOW = Date.parse('2026-11-24T10:00:00Z');

function status(overrides: Partial<CredentialStatus>): CredentialStatus {
  return {
    id: 'key...abcde',
    kind: 'api-key',
    label: 'api-key ...abcde',
    state: 'ok',
    cooldowns: [],
    counters: { requests: 0, successes: 0, rateLimits: 0, errors: 0 },
    ...overrides,
  };
}

describe('toAdminStatus', () => {
  it('summarises states and turns times into ISO strings and seconds left', () => {
    const view = toAdminStatus(
      [
        status({}),
        status({
          id: 'ada@example.com/p',
          kind: 'oauth',
          email: 'ada@example.com',
          projectId: 'p',
          sourceFile: '/secret/place/oauth_creds_ada.json',
          state: 'cooling',
          cooldowns: [
            {
              model: 'm2',
              until: NOW + 90_500,
              remainingMs: 90_500,
              reason: 'R',
              kind: 'rate-limit',
            },
            {
              model: 'm1',
              until: NOW + 1_000,
              remainingMs: 1_000,
              reason: 'UNAVAILABLE',
              kind: 'transient',
            },
          ],
        }),
        status({
          state: 'disabled',
          disabled: { reason: 'X', message: 'y', fixUrl: 'javascript:alert(1)', at: NOW },
        }),
      ],
      NOW,
    );
    expect(view.summary).toEqual({ total: 3, ok: 1, cooling: 1, disabled: 1 });
    expect(view.generatedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(view.credentials[1]).toMatchObject({
      file: 'oauth_creds_ada.json',
      cooldowns: [
        { model: 'm1', remainingSeconds: 1, kind: 'transient' },
        { model: 'm2', remainingSeconds: 91, until: '2026-11-24T10:01:30.500Z' },
      ],
    });
    expect(view.credentials[2].disabled).toEqual({
      reason: 'X',
      message: 'y',
      fixUrl: null,
      since: view.generatedAt,
    });
  });
});

describe('safeLink', () => {
  it.each([
    ['https://console.cloud.google.com/x?a=1', 'https://console.cloud.google.com/x?a=1'],
    ['http://example.com/', 'http://example.com/'],
    ['javascript:alert(1)', null],
    ['data:text/html,hi', null],
    ['not a url', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => {
    expect(safeLink(input)).toBe(expected);
  });
});
