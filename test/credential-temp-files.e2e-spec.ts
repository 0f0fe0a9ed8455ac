import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { poolStatus } from './support/pool-harness';
import { RunningProxy, startTestProxy } from './support/proxy';
import { waitFor } from './support/wait';

const ADA_FILE = 'oauth_creds_ada_example_com_proj-ada.json';
const TWO_MINUTES_MS = 2 * 60_000;

function credential(email: string, refreshToken: string): string {
  return JSON.stringify({
    client_id: 'client-id',
    client_secret: 'client-secret',
    refresh_token: refreshToken,
    project_id: `proj-${email.split('@')[0]}`,
    user_email: email,
  });
}

/** What a write-back killed between its fsync and its rename leaves: a whole credential. */
function leftover(dir: string, name: string, ageMs: number, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(file, at, at);
  return file;
}

describe('temporary files left by an interrupted credential write', () => {
  let dir: string;
  let proxy: RunningProxy | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'temp-files-'));
    writeFileSync(path.join(dir, ADA_FILE), credential('ada@example.com', '1//rt-ada'), {
      mode: 0o600,
    });
  });

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes stale ones at start-up and never loads them into the pool', async () => {
    const temps = [
      `.${ADA_FILE}.0123456789ab.tmp`,
      '.oauth_creds_bob_example_com_proj-bob.json.a1b2c3d4e5f6.tmp',
      '.oauth_creds.json.ffffffffffff.tmp',
    ].map((name) =>
      leftover(dir, name, TWO_MINUTES_MS, credential('bob@example.com', '1//rt-bob-LEFT-BEHIND')),
    );
    const foreign = leftover(dir, '.editor-swap.tmp', TWO_MINUTES_MS, 'not ours');

    proxy = await startTestProxy({ PERSISTENT_STORAGE_PATH: dir });

    for (const file of temps) expect(existsSync(file)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
    const ids = (await poolStatus(proxy)).credentials.map((c) => c.id);
    expect(ids).toEqual(['ada@example.com/proj-ada']);
  });

  it('removes one that appears in the watched folder once it is stale, and not before', async () => {
    proxy = await startTestProxy({ PERSISTENT_STORAGE_PATH: dir });
    const name = '.oauth_creds_bob_example_com_proj-bob.json.0a0b0c0d0e0f.tmp';
    // Young: it may be a write still under way in another replica sharing the folder.
    const temp = leftover(dir, name, 0, credential('bob@example.com', '1//rt-bob-LEFT-BEHIND'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(readdirSync(dir)).toContain(name);

    // Its writer died long ago: the next event on it finds it stale.
    const at = (Date.now() - TWO_MINUTES_MS) / 1000;
    utimesSync(temp, at, at);
    await waitFor(() => !existsSync(temp), 5_000, 'the stale temporary file to go');
    const ids = (await poolStatus(proxy)).credentials.map((c) => c.id);
    expect(ids).toEqual(['ada@example.com/proj-ada']);
  });
});
