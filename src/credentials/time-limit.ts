/**
 * TOKEN_TIMEOUT_MS's default: a grant or refresh takes well under a second, and a request held
 * longer on one credential's token is better served by the next credential.
 */
export const DEFAULT_TOKEN_TIMEOUT_MS = 15_000;

/**
 * Rejects with a `TimeoutError` (the name fetch gives its own timeouts, which the classifier and
 * the token wait read) once `ms` have passed; `pending` itself goes on, unobserved.
 */
export function withinTimeLimit<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new DOMException('Google’s token endpoint did not answer in time', 'TimeoutError')),
      ms,
    );
  });
  return Promise.race([pending, limit]).finally(() => clearTimeout(timer));
}
