import { generateKeyPairSync } from 'node:crypto';
import { parseServiceAccount, vertexExpressCredential } from './service-account';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

const KEY = {
  type: 'service_account',
  project_id: 'my-proj',
  private_key_id: 'abcdef0123456789',
  private_key: PEM,
  client_email: 'runner@my-proj.iam.gserviceaccount.com',
};

describe('parseServiceAccount', () => {
  it('reads its own proxy, and skips a key file whose proxy is no proxy URL', () => {
    const routed = parseServiceAccount({ ...KEY, proxy: 'http://u:p@10.0.0.6:3128' }, 'global');
    expect(routed).toMatchObject({ ok: true, credential: { proxy: 'http://u:p@10.0.0.6:3128' } });
    const bad = parseServiceAccount({ ...KEY, proxy: 'gopher://u:swordfish@h' }, 'global');
    expect(bad).toEqual({ ok: false, problem: expect.stringMatching(/has a proxy that/) });
    expect(JSON.stringify(bad)).not.toContain('swordfish');
  });

  it('reads the Cloud console key file, in the default location', () => {
    const result = parseServiceAccount(KEY, 'global');
    expect(result).toEqual({
      ok: true,
      credential: {
        kind: 'vertex',
        mode: 'service-account',
        id: 'runner@my-proj.iam.gserviceaccount.com/global',
        clientEmail: 'runner@my-proj.iam.gserviceaccount.com',
        privateKey: PEM,
        privateKeyId: 'abcdef0123456789',
        projectId: 'my-proj',
        location: 'global',
      },
    });
  });

  it('takes the file’s own location over the default', () => {
    const result = parseServiceAccount({ ...KEY, location: 'europe-west4' }, 'global');
    expect(result.ok && result.credential.location).toBe('europe-west4');
  });

  it.each([
    ['no client_email', { ...KEY, client_email: undefined }, 'has no client_email'],
    ['no private_key', { ...KEY, private_key: '' }, 'has no private_key'],
    [
      'a damaged private_key',
      {
        ...KEY,
        private_key:
          '-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBITS\n-----END PRIVATE KEY-----\n',
      },
      'has a private_key that is not a readable PEM key',
    ],
    ['no project_id', { ...KEY, project_id: undefined }, 'has no project_id'],
    [
      'a bad location',
      { ...KEY, location: 'Mars Base' },
      'has a location ("Mars Base") that is not a Google Cloud location',
    ],
  ])('refuses a key with %s, without quoting the key', (_name, raw, problem) => {
    const result = parseServiceAccount(raw, 'global');
    expect(result).toEqual({ ok: false, problem });
    expect(JSON.stringify(result)).not.toContain('SECRETBITS');
  });
});

describe('vertexExpressCredential', () => {
  it('names an express key by its last five characters only', () => {
    const c = vertexExpressCredential('AQ.Ab8RN6SecretKeyMaterial12345');
    expect(c).toMatchObject({
      kind: 'vertex',
      mode: 'express',
      id: 'vertex-key...12345',
      location: 'global',
    });
  });
});

describe('parseServiceAccount with fields no account has', () => {
  it.each([
    ['a 40 MB client_email', { client_email: `${'a'.repeat(40 * 1024 * 1024)}@p.iam` }],
    ['a client_email that is no address', { client_email: 'runner at my-proj' }],
    ['a client_email with a newline', { client_email: 'runner@p.iam\nFORGED' }],
    ['a 1 MB project_id', { project_id: 'p'.repeat(1024 * 1024) }],
    ['a 1 MB location', { location: 'l'.repeat(1024 * 1024) }],
  ])('skips a key with %s, in a short message that does not quote it', (_what, patch) => {
    const result = parseServiceAccount({ ...KEY, ...patch }, 'global');
    expect(result.ok).toBe(false);
    const problem = (result as { problem: string }).problem;
    expect(problem.length).toBeLessThan(200);
    expect(problem).not.toContain('FORGED');
  });
});
