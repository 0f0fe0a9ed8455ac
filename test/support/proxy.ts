import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startProxy } from '../../src/bootstrap';

export const TEST_PASSWORD = 'test-password-12345';

export interface RunningProxy {
  app: INestApplication;
  url: string;
  credentialsDir: string;
  close(): Promise<void>;
}

/**
 * Starts the real proxy on 127.0.0.1 with the given environment (pointed at a fake Google),
 * restoring the environment when it closes.
 */
export async function startTestProxy(
  env: Record<string, string | undefined>,
): Promise<RunningProxy> {
  const credentialsDir =
    env.PERSISTENT_STORAGE_PATH ?? mkdtempSync(path.join(tmpdir(), 'proxy-creds-'));
  const ownsDir = env.PERSISTENT_STORAGE_PATH === undefined;
  const saved = { ...process.env };
  Object.assign(process.env, {
    GEMINI_AUTH_PASSWORD: TEST_PASSWORD,
    PERSISTENT_STORAGE_PATH: credentialsDir,
    HOST: '127.0.0.1',
    ...env,
  });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let app: INestApplication;
  try {
    app = await startProxy({
      port: 0,
      host: '127.0.0.1',
      logger: process.env.TEST_LOGS ? undefined : false,
    });
  } finally {
    process.env = saved;
  }
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    credentialsDir,
    close: async () => {
      await app.close();
      if (ownsDir) rmSync(credentialsDir, { recursive: true, force: true });
    },
  };
}

export async function health(
  proxy: RunningProxy,
): Promise<{ status: string; credentials: number; usable: number }> {
  return (await (await fetch(`${proxy.url}/health`)).json()) as {
    status: string;
    credentials: number;
    usable: number;
  };
}
