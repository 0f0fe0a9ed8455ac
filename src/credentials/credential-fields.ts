import { isUrlWith, PROXY_EXAMPLE, PROXY_SCHEMES } from '../config/env-values';
/**
 * Plausibility of the identifying fields of a credential file (an e-mail, a project id): they
 * name the credential in its id, on /admin, in /metrics labels and in every log line, so a value
 * no real account has (megabytes long, a newline that forges a log line) skips the file.
 * Problems are of bounded length and never quote the value.
 */

/** RFC 5321's limit; Google's addresses are far shorter. */
export const MAX_EMAIL_LENGTH = 254;
/** Project ids are at most 30 characters; older domain-scoped ones (`example.com:p`) run longer. */
export const MAX_PROJECT_ID_LENGTH = 100;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `strict`: the address must look like one (a service account's `client_email` signs its grants). */
export function emailProblem(field: string, email: string, strict = false): string | undefined {
  if (email.length > MAX_EMAIL_LENGTH)
    return `has a ${field} of ${email.length} characters, longer than any e-mail address`;
  if (CONTROL.test(email)) return `has a ${field} with control characters`;
  if (strict && !/^[^\s@]+@[^\s@]+$/.test(email))
    return `has a ${field} that is not an e-mail address`;
  return undefined;
}

export function projectIdProblem(field: string, projectId: string): string | undefined {
  if (projectId.length > MAX_PROJECT_ID_LENGTH)
    return `has a ${field} of ${projectId.length} characters, longer than any project id`;
  if (/\s/.test(projectId) || CONTROL.test(projectId))
    return `has a ${field} with spaces or control characters`;
  return undefined;
}

/**
 * A credential file's own outbound proxy (`"proxy": "socks5://user:pass@host:1080"`): a URL with
 * one of the proxy schemes, or absent. The problem never quotes it, since it may carry a password.
 */
export function proxyField(value: unknown): { proxy?: string } | { problem: string } {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string' || !isUrlWith(value.trim(), PROXY_SCHEMES)) {
    return { problem: `has a proxy that does not look like ${PROXY_EXAMPLE}` };
  }
  return { proxy: value.trim() };
}
