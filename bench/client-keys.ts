/**
 * What authenticating by a client key costs (issue 21): the proxy's CPU per request with 1,000
 * client keys defined, authenticated by the password and by one of the keys (with every limit
 * set, so the limit checks are counted too), in alternating rounds so that drift on a shared host
 * hits both alike.
 *
 *   npm run build && node -r ts-node/register/transpile-only bench/client-keys.ts [rounds] [requests]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';
import { Children, cpuTimeMs } from './children';
import { FakeGoogleProcess } from './fake-google-process';
import { runLoad } from './load';
import { BENCH_PASSWORD, ProxyProcess } from './proxy-process';
import { nativeRequest } from './workload';

const API_KEY = 'AIzaSy-bench-key-0';
const KEYS = 1_000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function createKeys(url: string): Promise<string> {
  let last = '';
  for (let i = 0; i < KEYS; i++) {
    const res = await request(`${url}/admin/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_PASSWORD}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `bench-${i}`,
        rpm: 1_000_000_000,
        tpm: 1_000_000_000_000,
        daily_tokens: 1_000_000_000_000,
        monthly_tokens: 1_000_000_000_000,
      }),
    });
    const body = (await res.body.json()) as { key: string };
    if (res.statusCode !== 201) throw new Error(`creating key ${i}: ${res.statusCode}`);
    last = body.key;
  }
  return last;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const amount = Number(process.argv[3] ?? 4_000);
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-keys-'));
  const children = new Children(workDir);
  try {
    const fake = await FakeGoogleProcess.start(
      children,
      'fake-google',
      { latencyMs: 5, streamEvents: 20, streamIntervalMs: 5 },
      workDir,
    );
    await fake.addApiKeys([API_KEY]);
    const proxy = await ProxyProcess.start(children, 'proxy-keys', {
      env: { ...fake.env, GEMINI_API_KEYS: API_KEY, PERSISTENT_STORAGE_PATH: workDir },
      workDir,
    });
    const key = await createKeys(proxy.url);
    log(`${KEYS} client keys created`);
    const specs = {
      password: nativeRequest({ stream: false, apiKey: BENCH_PASSWORD }),
      key: nativeRequest({ stream: false, apiKey: key }),
    };
    const measure = async (who: 'password' | 'key') => {
      const before = cpuTimeMs(proxy.pid);
      const result = await runLoad({
        baseUrl: proxy.url,
        connections: 10,
        amount,
        requests: [specs[who]],
      });
      if (result.ok !== amount) throw new Error(`${who}: ${result.ok}/${amount} answered 2xx`);
      return (cpuTimeMs(proxy.pid) - before) / amount;
    };
    await measure('password');
    await measure('key');
    const totals = { password: 0, key: 0 };
    for (let r = 0; r < rounds; r++) {
      const order: ('password' | 'key')[] = r % 2 === 0 ? ['password', 'key'] : ['key', 'password'];
      for (const who of order) {
        const perRequest = await measure(who);
        totals[who] += perRequest;
        log(`round ${r + 1} ${who.padEnd(8)} ${(perRequest * 1000).toFixed(0)} µs CPU/request`);
      }
    }
    const password = totals.password / rounds;
    const byKey = totals.key / rounds;
    log(
      `mean: password ${(password * 1000).toFixed(0)} µs, client key ${(byKey * 1000).toFixed(0)} µs ` +
        `(${(((byKey - password) / password) * 100).toFixed(1)} %)`,
    );
  } finally {
    await children.stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
