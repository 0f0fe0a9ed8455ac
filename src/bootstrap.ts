import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { OpenApiDocument } from './admin/openapi-document';
import { AppModule } from './app.module';
import { debugRequested, EnvSource, serverConfig } from './config/configuration';
import { ApiError } from './errors/api-error';
import { ConnectionLimits, CONNECTION_LIMITS, limitConnections } from './http/connection-limits';
import { ProxyExpressAdapter } from './http/express-adapter';
import { answerInDialect } from './dialects/answer-in-dialect';
import { endUnfinished } from './http/final-answer';
import { BufferedConsoleLogger } from './logging/buffered-console-logger';
import { RequestTracker } from './logging/request-tracker';
import { useViews } from './http/views';

/** How long clients told to come back after a restart should wait. */
const SHUTDOWN_RETRY_AFTER_SECONDS = 5;
/** Time for the final answers written at the end of the grace period to reach their clients. */
const FINAL_ANSWER_FLUSH_MS = 1_000;

export interface StartOptions {
  /** Overrides PORT (0 picks a free port; tests use it). */
  port?: number;
  host?: string;
  logger?: LogLevel[] | false;
  /** Drain and exit 0 on SIGTERM/SIGINT (default true; tests that run several apps in one process turn it off). */
  handleSignals?: boolean;
  /** Configuration to use instead of `.env` and the environment. */
  env?: EnvSource;
  /** Replaces the HTTP server's timeouts and connection cap (tests shorten them). */
  connectionLimits?: ConnectionLimits;
}

type ServerConfig = ReturnType<typeof serverConfig>;

/** Creates and starts the proxy; resolves once it listens. */
export async function startProxy(options: StartOptions = {}): Promise<INestApplication> {
  const levels: LogLevel[] = [
    'log',
    'warn',
    'error',
    ...(debugRequested(options.env) ? (['debug'] as LogLevel[]) : []),
  ];
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(options.env),
    new ProxyExpressAdapter(),
    {
      bodyParser: false,
      logger: options.logger ?? levels,
      // Held until the configured format (text or JSON) is known, then printed in it.
      bufferLogs: options.logger === undefined,
    },
  );
  return listen(app, { ...options, logger: options.logger ?? levels });
}

/**
 * Applies the HTTP set-up, the log format and graceful shutdown to a created app and listens. Tests
 * that build the app through Nest's testing module (to swap the clock) call this directly.
 */
export async function listen(
  app: NestExpressApplication,
  options: StartOptions = {},
): Promise<NestExpressApplication> {
  const server = app.get(ConfigService).getOrThrow<ServerConfig>('server');
  if (options.logger !== false) {
    const logLevels = options.logger ?? ['log', 'warn', 'error'];
    app.useLogger(new BufferedConsoleLogger({ json: server.logFormat === 'json', logLevels }));
    app.flushLogs();
  }
  const tracker = app.get(RequestTracker);
  app.get(OpenApiDocument).attach(app);
  configureHttp(
    app,
    options.connectionLimits ?? {
      ...CONNECTION_LIMITS,
      maxConnectionsPerAddress: server.maxConnectionsPerAddress,
    },
  );
  const port = options.port ?? server.port;
  const host = options.host ?? server.host;
  await app.listen(port, host);
  const address = app.getHttpServer().address() as { port: number } | null;
  new Logger('Proxy').log(`Listening on http://${host}:${address?.port ?? port}`);
  if (options.handleSignals ?? true) drainOnSignals(app, tracker, server.shutdownGraceMs);
  return app;
}

/**
 * Express settings, the view engine (for the /admin page) and the HTTP server's timeouts and
 * connection cap (src/http/connection-limits.ts). There is deliberately no body-parsing
 * middleware: bodies are read by BodyGuard, after the password guard (src/request.guard.ts).
 */
export function configureHttp(
  app: NestExpressApplication,
  limits: ConnectionLimits = CONNECTION_LIMITS,
): void {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Express would hash every JSON answer (SHA-1) for an ETag no API client revalidates.
  app.set('etag', false);
  app.enableCors({ origin: true, credentials: false, maxAge: 600 });
  useViews(app);
  // Node answers "Expect: 100-continue" by inviting the body at once; handled as a plain request
  // instead, the invitation is sent only once the password has been accepted (BodyGuard).
  const httpServer: Server = app.getHttpServer();
  httpServer.on('checkContinue', (req, res) => httpServer.emit('request', req, res));
  limitConnections(httpServer, limits);
}

/**
 * On SIGTERM or SIGINT: stop accepting connections, let requests and streams in flight finish for
 * up to SHUTDOWN_GRACE_MS, then close what is left, run Nest's shutdown hooks (which flush credential
 * writes and close the upstream agent) and exit 0. Nest's own enableShutdownHooks() would close the
 * server under running streams and exit by re-raising the signal, so it is not used. A second
 * signal skips the rest of the grace period.
 */
function drainOnSignals(app: INestApplication, tracker: RequestTracker, graceMs: number): void {
  const logger = new Logger('Shutdown');
  const httpServer = app.getHttpServer() as Server;
  let skipGrace: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (skipGrace) {
      logger.warn(`${signal} again: closing the remaining connections now`);
      skipGrace();
      return;
    }
    const skipped = new Promise<void>((resolve) => (skipGrace = resolve));
    void (async () => {
      logger.log(
        `${signal}: no longer accepting connections; waiting up to ${graceMs} ms for ${tracker.inFlight} request(s) in flight`,
      );
      httpServer.close();
      tracker.beginDrain(() => httpServer.closeIdleConnections());
      httpServer.closeIdleConnections();
      const left = await Promise.race([
        tracker.whenIdle(graceMs),
        skipped.then(() => tracker.inFlight),
      ]);
      if (left > 0) {
        logger.warn(`Grace period over: closing ${left} unfinished request(s)`);
        const error = new ApiError({
          status: 503,
          kind: 'internal',
          message: 'The proxy is shutting down; retry shortly.',
          retryAfterSeconds: SHUTDOWN_RETRY_AFTER_SECONDS,
        });
        for (const res of tracker.unfinished()) endUnfinished(res, error, answerInDialect);
        await tracker.whenIdle(FINAL_ANSWER_FLUSH_MS);
      }
      httpServer.closeAllConnections();
      try {
        await app.close();
        logger.log('Stopped cleanly');
        process.exit(0);
      } catch (error) {
        logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  httpServer.once('close', () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  });
}
