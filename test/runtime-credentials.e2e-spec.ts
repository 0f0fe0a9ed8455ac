import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { AUTH } from './support/pool-harness';
import { PostgresServer } from './support/postgres-server';
import { ProxyProcess } from './support/proxy-process';
import { RunningProxy, startTestProxy } from './support/proxy';
import { waitFor } from './support/wait';

const ENV_KEY = 'AIzaEnvironmentKey0000000000000000eeeee';
const ADDED_KEY = 'AIzaAddedAtRunTime00000000000000000aaaaa';
const MODEL = 'gemini-2.5-flash';

async function generate(url: string): Promise<number> {
  const res = await fetch(`${url}/v1beta/models/${MODEL}:generateContent`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await res.text();
  return res.status;
}

/** Milliseconds until `url` answers 200 (or, `served` false, anything else), polled for 10 s. */
async function msUntil(url: string, served: boolean): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    if (((await generate(url)) === 200) === served) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Infinity;
}

/**
 * Whether the replica has migrated the database (its console says the usage ledger is up to date).
 * A replica listens before its migrations are done, and answers 503 to a credential added until
 * then: on a loaded box, that was still the case when the test began.
 */
async function migrated(url: string): Promise<boolean> {
  const res = await fetch(`${url}/admin`, { headers: { ...AUTH, accept: 'text/html' } });
  return /usage ledger: postgres .*, up to date/.test(await res.text());
}

interface Listed {
  id: string;
  kind: string;
  label: string;
  source: string;
  removable: boolean;
  disabled: boolean;
}

async function listed(url: string): Promise<Listed[]> {
  return (await (
    await fetch(`${url}/admin/api/credentials`, { headers: AUTH })
  ).json()) as Listed[];
}

describe('credentials added at run time, on two replicas sharing PostgreSQL', () => {
  let fake: FakeGoogle;
  let postgres: PostgresServer;
  let replicas: ProxyProcess[] = [];

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    // The environment's key is one Google refuses: only the added key can serve.
    fake.addApiKey(ADDED_KEY);
    postgres = await PostgresServer.start();
    const env = {
      ...fake.env(),
      GEMINI_API_KEYS: ENV_KEY,
      DATABASE_URL: await postgres.createDatabase('runtime_credentials'),
    };
    replicas = await Promise.all([ProxyProcess.start(env), ProxyProcess.start(env)]);
    await waitFor(
      async () => (await Promise.all(replicas.map((r) => migrated(r.url)))).every(Boolean),
      15_000,
      'both replicas to migrate the database',
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await fake?.close();
    await postgres?.destroy();
  });

  it('serves with an added key within 5 s on both replicas, and stops once it is removed', async () => {
    const [a, b] = replicas.map((r) => r.url);
    expect(await generate(b)).not.toBe(200);
    const res = await fetch(`${a}/admin/api/credentials`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'api-key', key: ADDED_KEY }),
    });
    expect(res.status).toBe(201);
    const added = (await res.json()) as { id: string; kind: string; label: string };
    expect(added).toMatchObject({ kind: 'api-key', label: expect.stringContaining('aaaaa') });
    expect(JSON.stringify(added)).not.toContain(ADDED_KEY);
    expect(await msUntil(a, true)).toBeLessThan(5_000);
    expect(await msUntil(b, true)).toBeLessThan(5_000);

    const envKey = (await listed(b)).find((c) => c.id !== added.id)!;
    expect(envKey).toMatchObject({ source: 'environment', removable: false });
    const refused = await fetch(`${a}/admin/api/credentials/${encodeURIComponent(envKey.id)}`, {
      method: 'DELETE',
      headers: AUTH,
    });
    expect(refused.status).toBe(409);

    const removed = await fetch(`${a}/admin/api/credentials/${encodeURIComponent(added.id)}`, {
      method: 'DELETE',
      headers: AUTH,
    });
    expect(removed.status).toBe(204);
    expect(await msUntil(b, false)).toBeLessThan(5_000);
    expect((await listed(b)).map((c) => c.id)).not.toContain(added.id);
    for (const r of replicas) expect(r.output).not.toContain(ADDED_KEY);
  });
});

describe('a credential file uploaded at run time', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    proxy = await startTestProxy({ ...fake.env() });
  }, 30_000);

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it('lands in the folder with mode 0600 and joins the pool; removed, the file goes', async () => {
    const key = fake.createServiceAccount({
      email: 'sa@vertex-proj.iam.gserviceaccount.com',
      projectId: 'vertex-proj',
    });
    const form = new FormData();
    form.append(
      'file',
      new Blob([JSON.stringify(key)], { type: 'application/json' }),
      'vertex.json',
    );
    const res = await fetch(`${proxy.url}/admin/api/credentials`, {
      method: 'POST',
      headers: AUTH,
      body: form,
    });
    expect(res.status).toBe(201);
    const added = (await res.json()) as { id: string; kind: string };
    expect(added.kind).toBe('vertex-service-account');
    const file = path.join(proxy.credentialsDir, 'vertex.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await listed(proxy.url)).find((c) => c.id === added.id)).toMatchObject({
      source: 'file',
      removable: true,
    });
    expect(await generate(proxy.url)).toBe(200);

    const bad = await fetch(`${proxy.url}/admin/api/credentials`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'file', name: '../escape.json', content: {} }),
    });
    expect(bad.status).toBe(400);

    const removed = await fetch(
      `${proxy.url}/admin/api/credentials/${encodeURIComponent(added.id)}`,
      {
        method: 'DELETE',
        headers: AUTH,
      },
    );
    expect(removed.status).toBe(204);
    expect(() => statSync(file)).toThrow();
    expect((await listed(proxy.url)).map((c) => c.id)).not.toContain(added.id);
  });

  it("takes the --gen-creds login's file as JSON, under the OAuth file name the folder reads", async () => {
    const ada = {
      email: 'ada@example.com',
      refreshToken: '1//rt-runtime-ada-55555',
      projectId: 'proj-ada',
    };
    fake.addOAuthAccount(ada);
    const res = await fetch(`${proxy.url}/admin/api/credentials`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'file',
        name: 'ada.json',
        content: {
          refresh_token: ada.refreshToken,
          project_id: ada.projectId,
          user_email: ada.email,
        },
      }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      kind: 'oauth',
      label: expect.stringContaining(ada.email),
    });
    const file = path.join(proxy.credentialsDir, 'oauth_creds_ada.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(ada.refreshToken);
    const again = await fetch(`${proxy.url}/admin/api/credentials`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'file',
        name: 'oauth_creds_ada.json',
        content: { refresh_token: 'x' },
      }),
    });
    expect(again.status).toBe(409);
  });

  it('disables and enables an added key, audits each change, and refuses a cross-site add', async () => {
    const key = 'AIzaDisableEnableKey000000000000000zzzzz';
    fake.addApiKey(key);
    const res = await fetch(`${proxy.url}/admin/api/credentials`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'vertex-express', key }),
    });
    expect(res.status).toBe(201);
    const { id, kind } = (await res.json()) as { id: string; kind: string };
    expect(kind).toBe('vertex-express');
    const post = (action: string) =>
      fetch(`${proxy.url}/admin/api/credentials/${encodeURIComponent(id)}/${action}`, {
        method: 'POST',
        headers: AUTH,
      });
    expect(((await (await post('disable')).json()) as Listed).disabled).toBe(true);
    const pool = (await (
      await fetch(`${proxy.url}/admin/credentials`, { headers: AUTH })
    ).json()) as {
      credentials: { id: string }[];
    };
    expect(pool.credentials.map((c) => c.id)).not.toContain(id);
    expect(((await (await post('enable')).json()) as Listed).disabled).toBe(false);
    const audit = await (
      await fetch(`${proxy.url}/admin/audit`, { headers: { ...AUTH, accept: 'text/html' } })
    ).text();
    for (const action of ['credential.add', 'credential.disable', 'credential.enable'])
      expect(audit).toContain(action);
    expect(audit).not.toContain(key);
    const crossSite = await fetch(`${proxy.url}/admin/api/credentials`, {
      method: 'POST',
      headers: {
        ...AUTH,
        'content-type': 'application/json',
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ kind: 'api-key', key: 'AIzaCrossSite00000000000000000000000xxxx' }),
    });
    expect(crossSite.status).toBe(403);
  });
});
