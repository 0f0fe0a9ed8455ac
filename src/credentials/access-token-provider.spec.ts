import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokenProvider } from './access-token-provider';
import { OAuthCredential } from './credential';

const credential: OAuthCredential = {
  kind: 'oauth',
  id: 'a@x',
  clientId: 'client',
  clientSecret: 'secret',
  refreshToken: 'refresh',
};

/** An AccessTokenProvider from named parts; what a test leaves out gets a quiet default. */
function makeTokenProvider({
  tokenUrl,
  onRefreshed = () => undefined,
  now = Date.now,
  timeoutMs,
}: {
  tokenUrl: string;
  onRefreshed?: ConstructorParameters<typeof AccessTokenProvider>[1];
  now?: () => number;
  timeoutMs?: number;
}): AccessTokenProvider {
  return new AccessTokenProvider(tokenUrl, onRefreshed, now, timeoutMs);
}

describe('AccessTokenProvider time limit', () => {
  let server: Server;
  let tokenUrl: string;

  beforeAll(async () => {
    // A token endpoint that takes every request and never answers.
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on a hanging refresh at its limit with a TimeoutError', async () => {
    const tokens = makeTokenProvider({ tokenUrl, timeoutMs: 100 });
    const started = Date.now();
    await expect(tokens.accessToken(credential)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('shares one refresh between waiters until it timed out, then starts a new one', async () => {
    const tokens = makeTokenProvider({ tokenUrl, timeoutMs: 100 });
    const first = tokens.refresh(credential);
    expect(tokens.refresh(credential)).toBe(first);
    await expect(first).rejects.toMatchObject({ name: 'TimeoutError' });
    const second = tokens.refresh(credential);
    expect(second).not.toBe(first);
    await expect(second).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
