import { TokenEndpointError, UpstreamNetworkError } from './upstream-errors';

/**
 * Waits for an access token on behalf of one request. The time limit is the token provider's
 * (TOKEN_TIMEOUT_MS, shared by every request waiting on one refresh or grant, and far shorter than
 * UPSTREAM_TIMEOUT_MS), and its timeout is a passing fault: the request goes on with the next
 * credential. A client that hangs up stops waiting at once, and a failure of the token endpoint
 * is named as such for the classifier.
 */
export function waitForToken(pending: Promise<string>, signal: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const onAbort = () =>
      reject(new UpstreamNetworkError('aborted', 'The client closed the request'));
    signal.addEventListener('abort', onAbort, { once: true });
    const failed = (error: unknown) =>
      reject(
        (error as { name?: unknown } | undefined)?.name === 'TimeoutError'
          ? new UpstreamNetworkError('timeout', 'Google’s token endpoint did not answer in time')
          : new TokenEndpointError(error),
      );
    pending.then(resolve, failed).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
