import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle, type ServiceAccountKey } from './fake-google/fake-google';
import { generate } from './support/pool-harness';
import { RunningProxy, startTestProxy } from './support/proxy';
import { writeServiceAccountFile } from './support/service-account-files';

const SA_A = 'hangs-first@vertex-proj.iam.gserviceaccount.com';
const SA_B = 'answers@vertex-proj.iam.gserviceaccount.com';
const ADA = {
  email: 'ada@example.com',
  refreshToken: 'rt-token-endpoint-ada1',
  projectId: 'p-ada',
};
const BOB = {
  email: 'bob@example.com',
  refreshToken: 'rt-token-endpoint-bob2',
  projectId: 'p-bob',
};

/** Far beyond what the test waits: a request held this long would time the test out. */
const SLOW_UPSTREAM = { UPSTREAM_TIMEOUT_MS: '120000', TOKEN_TIMEOUT_MS: '1000' };

describe('Google’s token endpoint hanging for one credential', () => {
  let fake: FakeGoogle;
  const keys: ServiceAccountKey[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    keys.push(fake.createServiceAccount({ email: SA_A, projectId: 'vertex-proj' }));
    keys.push(fake.createServiceAccount({ email: SA_B, projectId: 'vertex-proj' }));
    fake.addOAuthAccount(ADA);
    fake.addOAuthAccount(BOB);
  });

  afterAll(async () => {
    await fake.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => fake.reset());

  /** Two requests: rotation starts one of them on the hanging credential, whichever comes first. */
  async function bothAnswer(proxy: RunningProxy): Promise<number> {
    const started = Date.now();
    for (const text of ['first', 'second']) expect((await generate(proxy, text)).status).toBe(200);
    return Date.now() - started;
  }

  it('fails a service account over to the next one after TOKEN_TIMEOUT_MS, not UPSTREAM_TIMEOUT_MS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'token-wait-'));
    dirs.push(dir);
    keys.forEach((key, i) => writeServiceAccountFile(dir, key, `k${i}.json`));
    const proxy = await startTestProxy({
      ...fake.env(),
      ...SLOW_UPSTREAM,
      PERSISTENT_STORAGE_PATH: dir,
    });
    try {
      fake.failNext({ kind: 'hang' }, { action: 'jwt-bearer', credential: SA_A });
      expect(await bothAnswer(proxy)).toBeLessThan(15_000);
      const grants = fake.requests.filter((r) => r.action === 'jwt-bearer');
      expect(grants.map((r) => r.credential)).toContain(SA_A);
      const served = fake.requests.filter((r) => r.action === 'generateContent');
      expect(served.map((r) => r.credential)).toEqual([SA_B, SA_B]);
    } finally {
      await proxy.close();
    }
  });

  it('fails an OAuth account over to the next one when its refresh hangs', async () => {
    const list = [ADA, BOB].map((a) => ({
      client_id: 'client-id',
      client_secret: 'client-secret',
      refresh_token: a.refreshToken,
      project_id: a.projectId,
      user_email: a.email,
    }));
    const proxy = await startTestProxy({
      ...fake.env(),
      ...SLOW_UPSTREAM,
      CREDENTIALS_JSON_LIST: JSON.stringify(list),
    });
    try {
      fake.failNext({ kind: 'hang' }, { action: 'refresh_token', credential: ADA.email });
      expect(await bothAnswer(proxy)).toBeLessThan(15_000);
      const served = fake.requests.filter((r) => r.action === 'generateContent');
      expect(served.map((r) => r.credential)).toEqual([BOB.email, BOB.email]);
    } finally {
      await proxy.close();
    }
  });
});
