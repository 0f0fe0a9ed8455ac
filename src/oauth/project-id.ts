import { LoginError } from './login-errors';

// Google Cloud project ids: 6–30 lower-case letters, digits and hyphens, starting with a letter,
// optionally behind a legacy `domain.com:` prefix; project numbers are accepted as well.
const PROJECT_ID = /^(?:[a-z0-9][a-z0-9.-]{0,62}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const PROJECT_NUMBER = /^\d{6,20}$/;

/** The typed project id, trimmed; undefined when the field was left empty. */
export function readProjectId(raw: unknown): string | undefined {
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (value === '') return undefined;
  if (!PROJECT_ID.test(value) && !PROJECT_NUMBER.test(value)) {
    throw new LoginError({ kind: 'invalid-project-id', value: value.slice(0, 200) });
  }
  return value;
}
