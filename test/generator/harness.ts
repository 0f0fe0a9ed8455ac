import { INestApplication, LogLevel } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EnvSource, oauthConfig } from '../../src/config/configuration';
import { configureGeneratorApp, startGenerator } from '../../src/oauth/generator-bootstrap';
import { GeneratorModule } from '../../src/oauth/generator.module';
import { ONBOARDING_POLLING, OnboardingPolling } from '../../src/oauth/generator.service';
import { GoogleLogin } from '../../src/oauth/google-login';
import { LoginStateStore, LoginStateOptions } from '../../src/oauth/login-state-store';
import type { FakeGoogle } from '../fake-google/fake-google';

export interface RunningGenerator {
  app: INestApplication;
  url: string;
  /** PERSISTENT_STORAGE_PATH: a folder inside a fresh temporary directory, not created yet. */
  credentialsDir: string;
  close(): Promise<void>;
}

export interface GeneratorTestOptions {
  fake: FakeGoogle;
  env?: Record<string, string | undefined>;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Short polls, so that the operation-polling tests take milliseconds. */
  polling?: OnboardingPolling;
  /** Wraps the real Google boundary, to make Google misbehave in ways the fake cannot. */
  googleLogin?: (real: GoogleLogin) => GoogleLogin;
  /** Sizes the store of logins under way (small caps make eviction visible in a few requests). */
  loginStates?: LoginStateOptions;
  /** Start through the production `startGenerator` rather than a testing module. */
  production?: boolean;
}

const logger: LogLevel[] | false = process.env.TEST_LOGS ? ['log', 'warn', 'error'] : false;

/** Runs the generator on 127.0.0.1 against the fake Google, configured by `options.env` alone. */
export async function startTestGenerator(options: GeneratorTestOptions): Promise<RunningGenerator> {
  const root = mkdtempSync(path.join(tmpdir(), 'gen-creds-'));
  const credentialsDir = path.join(root, 'credentials');
  const env = {
    ...options.fake.env(),
    PERSISTENT_STORAGE_PATH: credentialsDir,
    HOST: '127.0.0.1',
    ...options.env,
  };
  const app = options.production
    ? await startGenerator({ port: options.port ?? 0, host: '127.0.0.1', logger, env })
    : await buildGenerator(options, env);
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    credentialsDir,
    close: async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function buildGenerator(
  options: GeneratorTestOptions,
  env: EnvSource,
): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [GeneratorModule.register(env)] })
    .overrideProvider(ONBOARDING_POLLING)
    .useValue(options.polling ?? { pollIntervalMs: 10, maxPolls: 20 });
  const wrap = options.googleLogin;
  if (wrap) {
    builder = builder.overrideProvider(GoogleLogin).useFactory({
      inject: [oauthConfig.KEY],
      factory: (cfg: ConfigType<typeof oauthConfig>) => wrap(new GoogleLogin(cfg)),
    });
  }
  if (options.loginStates) {
    builder = builder
      .overrideProvider(LoginStateStore)
      .useValue(new LoginStateStore(options.loginStates));
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger });
  configureGeneratorApp(app);
  await app.listen(options.port ?? 0, '127.0.0.1');
  return app;
}

/** A port nobody listens on right now (for DOMAIN_NAME before the generator starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
