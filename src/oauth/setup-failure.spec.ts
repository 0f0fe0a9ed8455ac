import {
  OnboardingTimeoutError,
  ProjectRequiredError,
} from '../upstream/code-assist/code-assist-setup';
import { UpstreamHttpError, UpstreamNetworkError } from '../upstream/upstream-errors';
import { LoginError } from './login-errors';
import { setupFailure } from './setup-failure';

const failureOf = (error: unknown) => {
  const mapped = setupFailure(error, 'a@x.com', 'proj');
  return mapped instanceof LoginError ? mapped.failure : undefined;
};

describe('setupFailure', () => {
  it("keeps a Code Assist refusal's reason and help links", () => {
    const error = new UpstreamHttpError(403, {
      error: {
        code: 403,
        message: 'Gemini for Google Cloud API has not been used in project proj.',
        status: 'PERMISSION_DENIED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              { description: 'Enable it', url: 'https://console.developers.google.com/apis/x' },
            ],
          },
        ],
      },
    });
    expect(failureOf(error)).toEqual({
      kind: 'setup-refused',
      email: 'a@x.com',
      project: 'proj',
      status: 403,
      message: 'Gemini for Google Cloud API has not been used in project proj.',
      reason: 'SERVICE_DISABLED',
      links: [{ url: 'https://console.developers.google.com/apis/x', text: 'Enable it' }],
    });
  });

  it.each<[string, unknown, string]>([
    [
      'a network failure',
      new UpstreamNetworkError('connection', 'Could not reach Google'),
      'setup-unreachable',
    ],
    ['a required project', new ProjectRequiredError('standard-tier'), 'project-required'],
    ['an unfinished onboarding', new OnboardingTimeoutError(24), 'onboarding-timeout'],
    ['a failed operation', new Error('Code Assist onboarding failed: quota'), 'setup-refused'],
  ])('maps %s', (_name, error, kind) => {
    expect(failureOf(error)?.kind).toBe(kind);
  });

  it('leaves unknown errors alone for the generic page', () => {
    const bug = new TypeError('x is undefined');
    expect(setupFailure(bug, 'a@x.com', undefined)).toBe(bug);
  });
});
