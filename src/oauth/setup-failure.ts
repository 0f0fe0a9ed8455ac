import {
  IneligibleAccountError,
  OnboardingTimeoutError,
  ProjectRequiredError,
} from '../upstream/code-assist/code-assist-setup';
import {
  UpstreamHttpError,
  UpstreamNetworkError,
  unwrapGoogleError,
} from '../upstream/upstream-errors';
import { HelpLink, LoginError } from './login-errors';

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
    const google = unwrapGoogleError(error.body);
    return new LoginError({
      kind: 'setup-refused',
      email,
      project,
      status: error.status,
      message: error.message,
      reason: errorReason(google?.details),
      links: helpLinks(google?.details),
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

function errorReason(details: unknown[] | undefined): string | undefined {
  for (const d of details ?? []) {
    const reason = (d as { reason?: unknown } | null)?.reason;
    if (typeof reason === 'string') return reason;
  }
  return undefined;
}

function helpLinks(details: unknown[] | undefined): HelpLink[] {
  const links: HelpLink[] = [];
  for (const d of details ?? []) {
    const list = (d as { links?: unknown } | null)?.links;
    if (!Array.isArray(list)) continue;
    for (const l of list as { url?: unknown; description?: unknown }[]) {
      if (typeof l?.url === 'string') {
        links.push({ url: l.url, text: typeof l.description === 'string' ? l.description : l.url });
      }
    }
  }
  return links;
}
