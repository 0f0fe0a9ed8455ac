import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext, requestContextOf } from '../request/request-context';

function contextOf(ctx: ExecutionContext): RequestContext {
  const http = ctx.switchToHttp();
  return requestContextOf(http.getRequest<IncomingMessage>(), http.getResponse<ServerResponse>());
}

/**
 * The request's context as a route parameter, for routes whose calls to Google report back to
 * the request log and quota router; the route then needs neither the request nor the response.
 */
export const ClientContext = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  contextOf(ctx),
);

/** Only the client's abort signal, for routes that relay to Google without dispatch events. */
export const ClientSignal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => contextOf(ctx).signal,
);
