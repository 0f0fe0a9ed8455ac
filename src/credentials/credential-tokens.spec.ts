import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle } from '../../test/fake-google/fake-google';
import { SystemClock } from '../time/clock';
import { OAuthCredential } from './credential';
import { CredentialFileStore } from './credential-file-store';
import { CredentialPool } from './credential-pool';
import { CredentialTokens } from './credential-tokens';
import { CredentialWriteBack } from './credential-write-back';
import { InMemoryPoolStateStore } from './pool-state-store';

describe('CredentialTokens', () => {
  let google: FakeGoogle;
  let dir: string;
  let file: string;
  let pool: CredentialPool;
  let writeBack: CredentialWriteBack;
  let tokens: CredentialTokens;

  const ada = (fields: Partial<OAuthCredential> = {}): OAuthCredential => ({
    kind: 'oauth',
    id: 'ada@example.com/proj-ada',
    clientId: 'client-id',
    clientSecret: 'client-secret',
    refreshToken: '1//rt-tokens-ada',
    email: 'ada@example.com',
    projectId: 'proj-ada',
    sourceFile: file,
    ...fields,
  });

  beforeAll(async () => {
    google = await FakeGoogle.start();
    google.addOAuthAccount({ email: 'ada@example.com', refreshToken: '1//rt-tokens-ada' });
  });
  afterAll(() => google.close());

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tokens-'));
    file = path.join(dir, 'oauth_creds_ada.json');
    writeFileSync(file, JSON.stringify({ refresh_token: '1//rt-tokens-ada', custom: 'kept' }));
    const clock = new SystemClock();
    pool = new CredentialPool(new InMemoryPoolStateStore(), clock);
    writeBack = new CredentialWriteBack(new CredentialFileStore(dir));
    tokens = new CredentialTokens({
      tokenUrl: `${google.url}/token`,
      clock,
      pool,
      writeBack,
      timeoutMs: 5_000,
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refreshes an expired token into the pool and back into the file', async () => {
    pool.replaceAll([ada()]);
    const token = await tokens.accessToken(ada());
    await writeBack.flush();
    expect(pool.get(ada().id)).toMatchObject({ accessToken: token });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      custom: 'kept',
      access_token: token,
    });
  });

  it('uses the pool’s fresher token over the caller’s copy, without asking Google', async () => {
    pool.replaceAll([ada({ accessToken: 'ya29.pooled', expiryDate: Date.now() + 3_600_000 })]);
    const before = google.tokenRefreshes('1//rt-tokens-ada');
    await expect(tokens.accessToken(ada())).resolves.toBe('ya29.pooled');
    expect(google.tokenRefreshes('1//rt-tokens-ada')).toBe(before);
  });

  it('keeps a token another replica fetched in the pool only, out of the file', async () => {
    const fromReplica = { accessToken: 'ya29.replica-b', expiryDate: Date.now() + 3_600_000 };
    tokens = new CredentialTokens({
      tokenUrl: `${google.url}/token`,
      clock: new SystemClock(),
      pool,
      writeBack,
      coordinator: { refresh: () => Promise.resolve({ token: fromReplica, refreshed: false }) },
    });
    pool.replaceAll([ada()]);
    await expect(tokens.accessToken(ada())).resolves.toBe('ya29.replica-b');
    await writeBack.flush();
    expect(pool.get(ada().id)).toMatchObject(fromReplica);
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('access_token');
  });
});
