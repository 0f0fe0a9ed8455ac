import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokenProvider } from './access-token-provider';
import { OAuthCredential } from './credential';
import { TokenCoordinator } from './token-coordinator';

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

describe('AccessTokenProvider waiting on another replica', () => {
  it('stops waiting for another replica’s refresh at its own limit', async () => {
    // Another replica holds the refresh lock and its refresh never lands.
    const coordinator: TokenCoordinator = { refresh: () => new Promise(() => undefined) };
    const tokens = new AccessTokenProvider(
      'http://127.0.0.1:9/token',
      () => undefined,
      Date.now,
      100,
      coordinator,
    );
    const started = Date.now();
    await expect(tokens.accessToken(credential)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('AccessTokenProvider token lifetime', () => {
  let server: Server;
  let tokenUrl: string;
  let expiresIn: unknown;
  let refreshes = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        refreshes++;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            access_token: `ya29.refresh-${refreshes}`,
            token_type: 'Bearer',
            expires_in: expiresIn,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    refreshes = 0;
  });

  it.each([
    ['0', 0],
    ['negative', -30],
    ['missing', undefined],
  ])(
    'reuses a token whose expires_in is %s instead of refreshing per request',
    async (_n, value) => {
      expiresIn = value;
      // The pool keeps the refreshed token on the credential, as CredentialsService does.
      let current = credential;
      const tokens = new AccessTokenProvider(tokenUrl, (c, token) => {
        current = { ...c, accessToken: token.accessToken, expiryDate: token.expiryDate };
      });
      const first = await tokens.accessToken(current);
      expect(await tokens.accessToken(current)).toBe(first);
      expect(await tokens.accessToken(current)).toBe(first);
      expect(refreshes).toBe(1);
    },
  );
});
