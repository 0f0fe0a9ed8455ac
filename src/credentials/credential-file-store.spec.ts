import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  credentialFileName,
  CredentialFileStore,
  STALE_TEMP_FILE_MS,
  TEMP_FILE_PATTERN,
} from './credential-file-store';

const CREDENTIAL = JSON.stringify({ client_id: 'c', refresh_token: '1//rt-left-behind' });

describe('CredentialFileStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cfs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every JSON file (OAuth files and service-account keys), sorted', async () => {
    for (const n of [
      'oauth_creds_b.json',
      'oauth_creds_a.json',
      'oauth_creds.json',
      'notes.txt',
      'other.json',
      '.hidden.json',
    ]) {
      writeFileSync(path.join(dir, n), '{}');
    }
    const names = (await new CredentialFileStore(dir).list()).map((f) => path.basename(f));
    expect(names).toEqual([
      'oauth_creds.json',
      'oauth_creds_a.json',
      'oauth_creds_b.json',
      'other.json',
    ]);
  });

  it('lists nothing for a folder that does not exist', async () => {
    expect(await new CredentialFileStore(path.join(dir, 'missing')).list()).toEqual([]);
  });

  it('writes with mode 0600 and leaves no temporary file', async () => {
    const store = new CredentialFileStore(dir);
    const file = path.join(dir, 'oauth_creds_x.json');
    await store.writeJson(file, { refresh_token: 'r' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['oauth_creds_x.json']);
  });

  it('never lists a temporary file, even one holding a whole credential', async () => {
    writeFileSync(path.join(dir, '.oauth_creds_x.json.0123456789ab.tmp'), CREDENTIAL);
    expect(await new CredentialFileStore(dir).list()).toEqual([]);
  });

  describe('removeStaleTempFiles', () => {
    const now = Date.now();
    const aged = (name: string, ageMs: number, text = CREDENTIAL) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const at = (now - ageMs) / 1000;
      utimesSync(file, at, at);
      return file;
    };

    it('removes its own temporary files once stale and says when the young ones will be', async () => {
      aged('.oauth_creds_a_p.json.0123456789ab.tmp', STALE_TEMP_FILE_MS + 5_000);
      aged('.oauth_creds.json.ba9876543210.tmp', 10 * STALE_TEMP_FILE_MS);
      aged('.oauth_creds_b_p.json.aaaaaaaaaaaa.tmp', 1_000);
      const sweep = await new CredentialFileStore(dir).removeStaleTempFiles(now);
      expect(sweep.removed).toBe(2);
      expect(sweep.nextStaleAt).toBeCloseTo(now - 1_000 + STALE_TEMP_FILE_MS, -2);
      expect(readdirSync(dir)).toEqual(['.oauth_creds_b_p.json.aaaaaaaaaaaa.tmp']);
    });

    it('leaves alone every name that is not its own temporary file', async () => {
      const old = 10 * STALE_TEMP_FILE_MS;
      const names = [
        'oauth_creds_a.json',
        '.oauth_creds_a.json.tmp',
        '.oauth_creds_a.json.0123456789ab.tmp.bak',
        '.other.json.0123456789ab.tmp',
        'notes.tmp',
      ];
      for (const name of names) aged(name, old);
      const sweep = await new CredentialFileStore(dir).removeStaleTempFiles(now);
      expect(sweep).toEqual({ removed: 0 });
      expect(readdirSync(dir).sort()).toEqual([...names].sort());
    });

    it('never removes a temporary file this process is still writing', async () => {
      const store = new CredentialFileStore(dir);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const rename = fs.rename.bind(fs);
      // Holds the write between its fsync and its rename, where a kill leaves the temporary file.
      const spy = jest.spyOn(fs, 'rename').mockImplementationOnce(async (from, to) => {
        await gate;
        return rename(from, to);
      });
      try {
        const write = store.writeJson(path.join(dir, 'oauth_creds_w.json'), { a: 1 });
        await waitUntil(() => readdirSync(dir).some((n) => TEMP_FILE_PATTERN.test(n)));
        // Even an hour later by the clock, the write under way is not a leftover.
        const sweep = await store.removeStaleTempFiles(Date.now() + 3_600_000);
        expect(sweep.removed).toBe(0);
        release();
        await write;
      } finally {
        spy.mockRestore();
      }
      expect(readdirSync(dir)).toEqual(['oauth_creds_w.json']);
    });

    it('finds nothing in a folder that does not exist', async () => {
      const store = new CredentialFileStore(path.join(dir, 'missing'));
      expect(await store.removeStaleTempFiles(now)).toEqual({ removed: 0 });
    });
  });

  it('recognises its own last write', async () => {
    const store = new CredentialFileStore(dir);
    const file = path.join(dir, 'oauth_creds_x.json');
    await store.writeJson(file, { a: 1 });
    const { text } = await store.read(file);
    expect(store.isOwnWrite(file, text)).toBe(true);
    expect(store.isOwnWrite(file, '{"a":2}')).toBe(false);
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition never held');
}

describe('credentialFileName', () => {
  it.each([
    ['ada@example.com', 'proj-1', 'oauth_creds_ada_example_com_proj-1.json'],
    ['o’brien+tag@mail.co.uk', 'my project', 'oauth_creds_obrientag_mail_co_uk_myproject.json'],
    [undefined, undefined, 'oauth_creds_unspecified_unspecified.json'],
    ['../../etc/passwd', 'x/y', 'oauth_creds_____etcpasswd_xy.json'],
  ])('names %j / %j safely', (email, project, name) => {
    expect(credentialFileName(email, project)).toBe(name);
  });
});

describe('CredentialFileStore.read', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cfs-read-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const store = () => new CredentialFileStore(dir, STALE_TEMP_FILE_MS, 64 * 1024);

  it('refuses a named pipe at once, with nobody writing to it', async () => {
    const pipe = path.join(dir, 'x.json');
    execFileSync('mkfifo', [pipe]);
    await expect(store().read(pipe)).rejects.toThrow('it is a named pipe, not a regular file');
  });

  it('refuses a symlink to a device without reading it', async () => {
    const link = path.join(dir, 'zero.json');
    await fs.symlink('/dev/zero', link);
    await expect(store().read(link)).rejects.toThrow('it is a device, not a regular file');
  });

  it('refuses a folder named like a credential file', async () => {
    await fs.mkdir(path.join(dir, 'folder.json'));
    await expect(store().read(path.join(dir, 'folder.json'))).rejects.toThrow('it is a folder');
  });

  it('refuses a file over its size limit', async () => {
    const big = path.join(dir, 'big.json');
    writeFileSync(big, `{"pad":"${'x'.repeat(64 * 1024)}"}`);
    await expect(store().read(big)).rejects.toThrow('it is larger than 64 KiB');
  });

  it('reads a regular file, and one a symlink points at (as Kubernetes mounts secrets)', async () => {
    const file = path.join(dir, '..data.json');
    writeFileSync(file, CREDENTIAL);
    await fs.symlink(file, path.join(dir, 'linked.json'));
    expect((await store().read(file)).text).toBe(CREDENTIAL);
    expect((await store().read(path.join(dir, 'linked.json'))).text).toBe(CREDENTIAL);
  });
});
