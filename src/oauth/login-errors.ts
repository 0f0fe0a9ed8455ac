import type { IneligibleAccountError } from '../upstream/code-assist/code-assist-setup';

export type LoginStateProblem =
  'missing-state' | 'unknown-state' | 'expired' | 'missing-cookie' | 'other-browser';

export interface HelpLink {
  url: string;
  text: string;
}

/**
 * Everything that can stop a login, as facts. The error page chooses the words; nothing here
 * holds a token, a code or the client secret.
 */
export type LoginFailure =
  | { kind: 'bad-state'; problem: LoginStateProblem }
  /** Google sent the browser back with `error=` (the user pressed Cancel: `access_denied`). */
  | { kind: 'consent-refused'; error: string; description?: string }
  | { kind: 'missing-code' }
  | { kind: 'invalid-callback-url' }
  | { kind: 'invalid-project-id'; value: string }
  | { kind: 'token-exchange'; status?: number; error?: string; description?: string }
  | { kind: 'no-refresh-token'; email?: string }
  | { kind: 'user-info'; detail: string }
  | {
      kind: 'ineligible';
      email: string;
      project?: string;
      reasons: IneligibleAccountError['reasons'];
      fixUrl?: string;
    }
  | { kind: 'project-required'; email: string; detail: string }
  | { kind: 'onboarding-timeout'; email: string }
  /** Code Assist answered loadCodeAssist / onboardUser with an error. */
  | {
      kind: 'setup-refused';
      email: string;
      project?: string;
      status: number;
      message: string;
      reason?: string;
      links: HelpLink[];
    }
  | { kind: 'setup-unreachable'; email: string; detail: string }
  | { kind: 'save-failed'; folder: string; detail: string };

export class LoginError extends Error {
  constructor(readonly failure: LoginFailure) {
    super(`Login failed: ${failure.kind}`);
    this.name = 'LoginError';
  }
}
