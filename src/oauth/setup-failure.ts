import {
  IneligibleAccountError,
  OnboardingTimeoutError,
  ProjectRequiredError,
} from '../upstream/code-assist/code-assist-setup';
import { readGoogleError } from '../errors/google-error';
import { UpstreamHttpError, UpstreamNetworkError } from '../upstream/upstream-errors';
import { LoginError } from './login-errors';

/** Turns code-assist-setup's and the HTTP layer's errors into facts for the error page. */
export function setupFailure(error: unknown, email: string, project: string | undefined): unknown {
  if (error instanceof IneligibleAccountError) {
    return new LoginError({
      kind: 'ineligible',
      email,
      project,
      reasons: error.reasons,
      fixUrl: error.fixUrl,
    });
  }
  if (error instanceof ProjectRequiredError) {
    return new LoginError({ kind: 'project-required', email, detail: error.message });
  }
  if (error instanceof OnboardingTimeoutError) {
    return new LoginError({ kind: 'onboarding-timeout', email });
  }
  if (error instanceof UpstreamHttpError) {
    const google = readGoogleError(error.body);
    return new LoginError({
      kind: 'setup-refused',
      email,
      project,
      status: error.status,
      message: error.message,
      reason: google?.errorInfo?.reason,
      links: (google?.helpLinks ?? []).map(({ url, description }) => ({
        url,
        text: description ?? url,
      })),
    });
  }
  if (error instanceof UpstreamNetworkError) {
    return new LoginError({ kind: 'setup-unreachable', email, detail: error.message });
  }
  // code-assist-setup reports a finished operation carrying `error` as a plain Error.
  if (error instanceof Error && error.message.startsWith('Code Assist onboarding failed')) {
    return new LoginError({
      kind: 'setup-refused',
      email,
      project,
      status: 500,
      message: error.message,
      links: [],
    });
  }
  return error;
}
