import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SystemClock } from '../time/clock';
import { CredentialFileStore } from './credential-file-store';
import { TempFileSweeper } from './temp-file-sweeper';

const STALE_MS = 300;

describe('TempFileSweeper', () => {
  let dir: string;
  let sweeper: TempFileSweeper;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sweeper-'));
    sweeper = new TempFileSweeper(new CredentialFileStore(dir, STALE_MS), new SystemClock());
  });
  afterEach(() => {
    sweeper.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const tempFile = (name: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ refresh_token: '1//rt-young' }));
    return file;
  };

  async function until(condition: () => boolean, ms = 3_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  it('leaves a young temporary file and removes it once it is stale', async () => {
    const temp = tempFile('.oauth_creds_a_p.json.0123456789ab.tmp');
    await sweeper.sweep();
    expect(existsSync(temp)).toBe(true);
    await until(() => !existsSync(temp));
    expect(existsSync(temp)).toBe(false);
  });

  it('does not come back once stopped', async () => {
    const temp = tempFile('.oauth_creds_a_p.json.0123456789ab.tmp');
    await sweeper.sweep();
    sweeper.stop();
    await new Promise((r) => setTimeout(r, STALE_MS * 3));
    expect(existsSync(temp)).toBe(true);
  });

  it('never touches a file that is not its own temporary file', async () => {
    const other = tempFile('.other.json.0123456789ab.tmp');
    await new Promise((r) => setTimeout(r, STALE_MS * 2));
    await sweeper.sweep();
    expect(existsSync(other)).toBe(true);
  });
});
