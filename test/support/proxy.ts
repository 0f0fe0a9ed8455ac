import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../../src/app.module';
import { listen } from '../../src/bootstrap';
import { ProxyExpressAdapter } from '../../src/http/express-adapter';
import { Clock } from '../../src/time/clock';
import type { ConnectionLimits } from '../../src/http/connection-limits';

export const TEST_PASSWORD = 'test-password-12345';

export interface RunningProxy {
  app: INestApplication;
  url: string;
  credentialsDir: string;
  close(): Promise<void>;
}

/**
 * Starts the real proxy on 127.0.0.1 with the given configuration (pointed at a fake Google). The
 * app reads `env` and nothing else: the test process's own environment never reaches it. It is
 * built through Nest's testing module so that a test can swap the pool's clock at the module seam;
 * `listen()` is the production set-up.
 */
export async function startTestProxy(
  env: Record<string, string | undefined>,
  options: {
    clock?: Clock;
    overrides?: { provide: unknown; useValue: unknown }[];
    connectionLimits?: ConnectionLimits;
  } = {},
): Promise<RunningProxy> {
  const credentialsDir =
    env.PERSISTENT_STORAGE_PATH ?? mkdtempSync(path.join(tmpdir(), 'proxy-creds-'));
  const ownsDir = env.PERSISTENT_STORAGE_PATH === undefined;
  let builder = Test.createTestingModule({
    imports: [
      AppModule.register({
        GEMINI_AUTH_PASSWORD: TEST_PASSWORD,
        PERSISTENT_STORAGE_PATH: credentialsDir,
        HOST: '127.0.0.1',
        ...env,
      }),
    ],
  });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  for (const { provide, useValue } of options.overrides ?? []) {
    builder = builder.overrideProvider(provide).useValue(useValue);
  }
  const moduleRef = await builder.compile();
  const logger = process.env.TEST_LOGS ? undefined : false;
  const app = moduleRef.createNestApplication<NestExpressApplication>(new ProxyExpressAdapter(), {
    bodyParser: false,
    logger,
  });
  // Several apps share the jest process: none may take over Ctrl-C.
  await listen(app, {
    port: 0,
    host: '127.0.0.1',
    logger,
    handleSignals: false,
    connectionLimits: options.connectionLimits,
  });
  const server = app.getHttpServer();
  // A fetch aborted mid-response makes Node's client open a spare connection that sends nothing
  // until the client's keep-alive timeout (4 s) ends it; the server's close() would wait for it.
  const unused = new Set<Socket>();
  server.on('connection', (socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (req) => unused.delete(req.socket));
  const address = server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    credentialsDir,
    close: async () => {
      for (const socket of unused) socket.destroy();
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
