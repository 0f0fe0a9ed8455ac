import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';
import { AppModule } from './app.module';
import { debugRequested, serverConfig } from './config/configuration';

export interface StartOptions {
  /** Overrides PORT (0 picks a free port; tests use it). */
  port?: number;
  host?: string;
  logger?: LogLevel[] | false;
}

/** Creates and starts the proxy; resolves once it listens. */
export async function startProxy(options: StartOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(), {
    bodyParser: false,
    logger: options.logger ?? ['log', 'warn', 'error', ...(debugRequested() ? (['debug'] as LogLevel[]) : [])],
  });
  const server = app.get(ConfigService).getOrThrow<ReturnType<typeof serverConfig>>('server');
  configureHttp(app, server.bodyLimit);
  app.enableShutdownHooks();
  const port = options.port ?? server.port;
  const host = options.host ?? server.host;
  await app.listen(port, host);
  const address = app.getHttpServer().address() as { port: number } | null;
  new Logger('Proxy').log(`Listening on http://${host}:${address?.port ?? port}`);
  return app;
}

export function configureHttp(app: NestExpressApplication, bodyLimit: string): void {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(json({ limit: bodyLimit, type: ['application/json', 'text/plain', '+json'] }));
  app.use(urlencoded({ limit: '1mb', extended: false }));
  app.enableCors({ origin: true, credentials: false, maxAge: 600 });
}
