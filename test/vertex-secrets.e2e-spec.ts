import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle, type ServiceAccountKey } from './fake-google/fake-google';
import { googleError } from './fake-google/google-errors';
import { TEST_PASSWORD } from './support/proxy';
import { ProxyProcess } from './support/proxy-process';
import { writeServiceAccountFile } from './support/service-account-files';
import { waitFor } from './support/wait';

const SA_EMAIL = 'secret-keeper@vertex-proj.iam.gserviceaccount.com';
const EXPRESS_KEY = 'AQ.Ab8RN6FakeVertexExpressKeySECRET0xyz9';
const AUTH = { authorization: `Bearer ${TEST_PASSWORD}` };

/** Lines of the PEM body: any one of them in an output means the key leaked. */
function keyMaterial(key: ServiceAccountKey): string[] {
  return key.private_key
    .split('\n')
    .filter((line) => line.length > 20 && !line.startsWith('-----'));
}

describe('Vertex secrets in the deployed binary (DEBUG on)', () => {
  let fake: FakeGoogle;
  let proxy: ProxyProcess;
  let key: ServiceAccountKey;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    key = fake.createServiceAccount({ email: SA_EMAIL, projectId: 'vertex-proj' });
    fake.addVertexExpressKey(EXPRESS_KEY);
    dir = mkdtempSync(path.join(tmpdir(), 'vertex-secrets-'));
    writeServiceAccountFile(dir, key, 'team-key.json');
    writeServiceAccountFile(
      dir,
      { ...key, private_key: `${key.private_key.slice(0, 200)}BROKEN` },
      'broken-key.json',
    );
    proxy = await ProxyProcess.start({
      ...fake.env(),
      PERSISTENT_STORAGE_PATH: dir,
      VERTEX_LOCATION: 'us-central1',
      VERTEX_API_KEYS: EXPRESS_KEY,
      DEBUG: 'true',
    });
  });

  afterAll(async () => {
    await proxy.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows kind, service-account e-mail, project and location in the start-up table', () => {
    expect(proxy.output).toMatch(
      /vertex\s+secret-keeper@vertex-proj\.iam\.gserviceaccount\.com\s+vertex-proj\s+us-central1/,
    );
    expect(proxy.output).toMatch(/vertex\s+express key \.\.\.0xyz9\s+-\s+global/);
  });

  it('skips a damaged key file with a warning that names it', () => {
    expect(proxy.output).toMatch(
      /Skipping broken-key\.json: it is a service-account key that has a private_key that is not a readable PEM key/,
    );
  });

  it('never shows the private key or the express key in logs, /admin or /metrics', async () => {
    const ask = (model: string) =>
      fetch(`${proxy.url}/v1beta/models/${model}:generateContent`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
      });
    expect((await ask('gemini-2.5-flash')).status).toBe(200);
    expect((await ask('gemini-2.5-flash')).status).toBe(200);
    fake.failNext({ status: 403, body: googleError(403, 'denied') }, { times: 2 });
    await ask('gemini-2.5-pro');
    // Log lines are buffered: wait for the debug block and the disable warning to reach stdout.
    await waitFor(
      () => proxy.output.includes('Credential Details') && proxy.output.includes('Disabled'),
      5000,
      'the request logs',
    );
    const pages = await Promise.all(
      ['/admin/credentials', '/admin', '/metrics'].map(async (p) =>
        (await fetch(`${proxy.url}${p}`, { headers: { ...AUTH, accept: 'text/html' } })).text(),
      ),
    );
    const seen = [proxy.output, ...pages].join('\n');
    expect(seen).toContain(SA_EMAIL);
    expect(seen).toContain('Credential Details');
    for (const line of keyMaterial(key)) expect(seen).not.toContain(line);
    expect(seen).not.toContain('PRIVATE KEY');
    expect(seen).not.toContain(EXPRESS_KEY);
    expect(seen).not.toMatch(/ya29\.c\.fake-sa-/);
  });
});
