import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { limitConnections } from '../http/connection-limits';
import { debugRequested, EnvSource, oauthConfig, serverConfig } from '../config/configuration';
import { GeneratorModule } from './generator.module';
import { isLoopbackHost } from './redirect-notes';
import { useViews } from '../http/views';

export interface GeneratorStartOptions {
  /** Overrides PORT (0 picks a free port; tests use it). */
  port?: number;
  host?: string;
  logger?: LogLevel[] | false;
  /** Configuration to use instead of `.env` and the environment. */
  env?: EnvSource;
}

/** Starts only the credential generator pages (`npm run gen-creds`); resolves once it listens. */
export async function startGenerator(
  options: GeneratorStartOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    GeneratorModule.register(options.env),
    {
      logger: options.logger ?? [
        'log',
        'warn',
        'error',
        ...(debugRequested(options.env) ? (['debug'] as LogLevel[]) : []),
      ],
    },
  );
  configureGeneratorApp(app);
  const config = app.get(ConfigService);
  const server = config.getOrThrow<ReturnType<typeof serverConfig>>('server');
  const oauth = config.getOrThrow<ReturnType<typeof oauthConfig>>('oauth');
  const port = options.port ?? server.port;
  const host = options.host ?? server.host;
  await app.listen(port, host);
  const listening = (app.getHttpServer().address() as { port: number } | null)?.port ?? port;
  const logger = new Logger('Generator');
  logger.log(`Credential generator listening on http://${host}:${listening}`);
  logger.log(`Open ${server.domainName}/ in your browser to add a Google account.`);
  const domain = new URL(server.domainName);
  const domainPort = Number(domain.port || (domain.protocol === 'https:' ? 443 : 80));
  if (isLoopbackHost(domain.hostname) && domainPort !== listening) {
    logger.warn(
      `DOMAIN_NAME (${server.domainName}) names port ${domainPort} but the generator listens on ` +
        `${listening}: Google will send the browser to ${oauth.redirectUri}. Set DOMAIN_NAME to match PORT.`,
    );
  }
  exitOnSignals(app);
  return app;
}

/**
 * Ctrl-C or `docker stop` ends the generator with exit code 0. Nest's enableShutdownHooks() would
 * re-raise the signal after closing, which a container reports as a failure (143).
 */
function exitOnSignals(app: INestApplication): void {
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  (app.getHttpServer() as Server).once('close', () => {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  });
}

/** Views, body parsing and the headers every generator page carries. Tests building the app call it too. */
export function configureGeneratorApp(app: NestExpressApplication): void {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // The generator may be published at a public DOMAIN_NAME too: the same slowloris defences.
  limitConnections(app.getHttpServer());
  useViews(app);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    // Pages inline their CSS and load nothing else; the callback URL holds a login code, so
    // neither caches nor referrers may keep it.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
    );
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
}
