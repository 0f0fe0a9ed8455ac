import { createVerify, generateKeyPairSync } from 'node:crypto';
import { VertexServiceAccountCredential } from './credential';
import { GOOGLE_TOKEN_AUDIENCE, signAssertion } from './service-account-tokens';

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
