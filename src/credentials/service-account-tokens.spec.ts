import { createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VertexServiceAccountCredential } from './credential';
import {
  GOOGLE_TOKEN_AUDIENCE,
  ServiceAccountTokens,
  signAssertion,
} from './service-account-tokens';
import { TokenCoordinator } from './token-coordinator';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const CREDENTIAL: VertexServiceAccountCredential = {
  kind: 'vertex',
  mode: 'service-account',
  id: 'runner@p.iam.gserviceaccount.com/global',
  clientEmail: 'runner@p.iam.gserviceaccount.com',
  privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  privateKeyId: 'kid-123',
  projectId: 'p',
  location: 'global',
};

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('signAssertion', () => {
  const assertion = signAssertion(CREDENTIAL, 1_700_000_000_500);
  const [header, claims, signature] = assertion.split('.');

  it('signs with RS256 under the key id', () => {
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-123' });
    const ok = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(ok).toBe(true);
  });

  it('claims the cloud-platform scope for an hour with Google’s audience, whatever the token URL', () => {
    expect(decode(claims)).toEqual({
      iss: 'runner@p.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: GOOGLE_TOKEN_AUDIENCE,
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
  });
});

describe('ServiceAccountTokens', () => {
  let server: Server;
  let tokenUrl: string;
  let answer: Record<string, unknown>;
  let grants = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        grants++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: `ya29.grant-${grants}`, ...answer }));
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
    grants = 0;
  });

  it.each([
    ['0', { expires_in: 0 }],
    ['negative', { expires_in: -30 }],
    ['not a number', { expires_in: 'soon' }],
    ['null', { expires_in: null }],
    ['one second', { expires_in: 1 }],
  ])('reuses a token whose expires_in is %s instead of granting one per request', async (_n, a) => {
    answer = a;
    const tokens = new ServiceAccountTokens(tokenUrl);
    const first = await tokens.accessToken(CREDENTIAL);
    expect(await tokens.accessToken(CREDENTIAL)).toBe(first);
    expect(await tokens.accessToken(CREDENTIAL)).toBe(first);
    expect(grants).toBe(1);
  });

  it('still grants a new token once the reused one has had its minimum time', async () => {
    answer = { expires_in: 0 };
    let now = Date.now();
    const tokens = new ServiceAccountTokens(tokenUrl, () => now);
    const first = await tokens.accessToken(CREDENTIAL);
    now += 31_000;
    expect(await tokens.accessToken(CREDENTIAL)).not.toBe(first);
    expect(grants).toBe(2);
  });

  it('stops waiting for another replica’s grant at its own limit', async () => {
    // Another replica holds the grant lock and its grant never lands.
    const coordinator: TokenCoordinator = { refresh: () => new Promise(() => undefined) };
    const tokens = new ServiceAccountTokens(tokenUrl, Date.now, 100, coordinator);
    const started = Date.now();
    await expect(tokens.accessToken(CREDENTIAL)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
