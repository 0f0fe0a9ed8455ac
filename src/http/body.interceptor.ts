import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { serverConfig } from '../config/configuration';
import { BodyBudget } from './body-budget';
import { BodyReadLimits, hasBody, readBody } from './body-reader';
import { parseRequestBody } from './request-body';

/** How long a body may trickle; a token so that tests can shorten them at the module seam. */
export const BODY_DEADLINES = Symbol('BODY_DEADLINES');
export type BodyDeadlines = Pick<BodyReadLimits, 'idleMs' | 'totalMs'>;
/**
 * 30 s of silence is far past any live uploader's pause; 300 s for the whole body (Node's own
 * requestTimeout) lets a BODY_LIMIT body arrive over a 1 Mbit/s uplink.
 */
export const DEFAULT_BODY_DEADLINES: BodyDeadlines = { idleMs: 30_000, totalMs: 300_000 };

/**
 * Reads and parses the request body. As an interceptor it runs after every guard, so no byte of a
 * body is read (let alone inflated) before the password is accepted, and its errors reach the
 * route's own exception filter, in the route's dialect. There is no body-parsing middleware.
 */
@Injectable()
export class BodyInterceptor implements NestInterceptor {
  private readonly limits: BodyReadLimits;

  constructor(
    private readonly budget: BodyBudget,
    @Inject(serverConfig.KEY) server: ConfigType<typeof serverConfig>,
    @Inject(BODY_DEADLINES) deadlines: BodyDeadlines,
  ) {
    this.limits = { limitBytes: server.bodyLimitBytes, ...deadlines };
  }

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    // GETs, probes and scrapes have no body: no promise, no parse, straight to the handler.
    if (!hasBody(req) || req.readableEnded) return next.handle();
    return this.read(req, http.getResponse<Response>()).then(() => next.handle());
  }

  private async read(req: Request, res: Response): Promise<void> {
    // The server holds back "100 Continue" (see bootstrap): a client that waits for it sends its
    // body only now, after the guards.
    if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
    req.body = await readBody(req, this.limits, this.budget, (raw) =>
      parseRequestBody(raw, req.headers['content-type']),
    );
  }
}
