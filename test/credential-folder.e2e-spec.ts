import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle, type ServiceAccountKey } from './fake-google/fake-google';
import { TEST_PASSWORD } from './support/proxy';
import { ProxyProcess } from './support/proxy-process';
import { writeServiceAccountFile } from './support/service-account-files';
import { waitFor } from './support/wait';

const AUTH = { authorization: `Bearer ${TEST_PASSWORD}` };
const GOOD = 'good-runner@vertex-proj.iam.gserviceaccount.com';
const LATE = 'late-runner@vertex-proj.iam.gserviceaccount.com';

interface AdminCredentials {
  credentials: { email: string | null }[];
}

describe('a credentials folder holding files that are not credentials to read (deployed binary)', () => {
  let fake: FakeGoogle;
  let proxy: ProxyProcess;
  let dir: string;
  let late: ServiceAccountKey;

  const admin = async () => {
    const res = await fetch(`${proxy.url}/admin/credentials`, { headers: AUTH });
    const text = await res.text();
    return { text, body: JSON.parse(text) as AdminCredentials };
  };

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    const good = fake.createServiceAccount({ email: GOOD, projectId: 'vertex-proj' });
    late = fake.createServiceAccount({ email: LATE, projectId: 'vertex-proj' });
    dir = mkdtempSync(path.join(tmpdir(), 'odd-folder-'));
    writeServiceAccountFile(dir, good, 'good.json');
    // A named pipe nobody writes to, and a link to an endless device.
    execFileSync('mkfifo', [path.join(dir, 'x.json')]);
    symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    // Under the size limit, but no account has an e-mail address this long.
    const padded = `${'a'.repeat(900 * 1024)}@vertex-proj.iam.gserviceaccount.com`;
    writeServiceAccountFile(dir, { ...good, client_email: padded }, 'padded.json');
    proxy = await ProxyProcess.start({
      ...fake.env(),
      PERSISTENT_STORAGE_PATH: dir,
      VERTEX_LOCATION: 'us-central1',
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the rest of the folder and serves from it', async () => {
    const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    expect((await admin()).body.credentials.map((c) => c.email)).toEqual([GOOD]);
  });

  it('names each skipped file and why, in a log of bounded size', () => {
    expect(proxy.output).toContain('Skipping x.json: it is a named pipe, not a regular file');
    expect(proxy.output).toContain('Skipping zero.json: it is a device, not a regular file');
    expect(proxy.output).toMatch(/Skipping padded\.json: .*client_email of \d+ characters/);
    expect(proxy.output.length).toBeLessThan(64 * 1024);
  });

  it('still reloads the folder when a key file is added beside them', async () => {
    writeServiceAccountFile(dir, late, 'late.json');
    await waitFor(
      async () => (await admin()).body.credentials.some((c) => c.email === LATE),
      10_000,
      'the added key file to load',
    );
    expect((await admin()).text.length).toBeLessThan(64 * 1024);
  });
});
