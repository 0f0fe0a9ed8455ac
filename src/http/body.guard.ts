import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { serverConfig } from '../config/configuration';
import { BodyBudget } from './body-budget';
import { BodyReadLimits, hasBody, readBody, streamBody } from './body-reader';
import { isMultipart, multipartSink } from './multipart-form';
import { parseRequestBody } from './request-body';
import { STREAMED_BODY } from './streamed-body.decorator';

/** How long a body may trickle; a token so that tests can shorten them at the module seam. */
export const BODY_DEADLINES = Symbol('BODY_DEADLINES');
export type BodyDeadlines = Pick<BodyReadLimits, 'idleMs' | 'totalMs'>;
/**
 * 30 s of silence is far past any live uploader's pause; 300 s for the whole body (Node's own
 * requestTimeout) lets a BODY_LIMIT body arrive over a 1 Mbit/s uplink.
 */
export const DEFAULT_BODY_DEADLINES: BodyDeadlines = { idleMs: 30_000, totalMs: 300_000 };

/**
 * Reads and parses the request body, and refuses one past BODY_LIMIT, BODY_BYTES_IN_FLIGHT or the
 * deadlines. It is the guard after the password guard (AuthModule is imported before BodyModule,
 * and Nest runs global guards in that order), so no byte of a body is read (let alone inflated)
 * before the password is accepted, and its errors reach the route's own exception filter, in the
 * route's dialect. There is no body-parsing middleware.
 *
 * A guard rather than an interceptor: with any interceptor in place Nest wraps every request in
 * rxjs and binds two AsyncResources (about 5 % of a request's CPU on Node 20); guards are a plain
 * loop. Requests without a body pass straight through.
 */
@Injectable()
export class BodyGuard implements CanActivate {
  private readonly limits: BodyReadLimits;

  constructor(
    private readonly budget: BodyBudget,
    @Inject(serverConfig.KEY) server: ConfigType<typeof serverConfig>,
    @Inject(BODY_DEADLINES) deadlines: BodyDeadlines,
    private readonly reflector: Reflector,
  ) {
    this.limits = { limitBytes: server.bodyLimitBytes, ...deadlines };
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!hasBody(req) || req.readableEnded) return true;
    if (this.reflector.get<boolean>(STREAMED_BODY, context.getHandler())) return true;
    return this.read(req, http.getResponse<Response>());
  }

  private async read(req: Request, res: Response): Promise<boolean> {
    // The server holds back "100 Continue" (see bootstrap): a client that waits for it sends its
    // body only now, after the password guard.
    if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
    // Uploads (images, audio) are parsed while they stream in, under the same limits as JSON.
    req.body = isMultipart(req.headers['content-type'])
      ? await streamBody(req, this.limits, this.budget, multipartSink(req.headers))
      : await readBody(req, this.limits, this.budget, (raw) =>
          parseRequestBody(raw, req.headers['content-type']),
        );
    return true;
  }
}
