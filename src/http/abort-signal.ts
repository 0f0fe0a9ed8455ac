import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

const controllers = new WeakMap<object, AbortController>();

/**
 * An AbortSignal that fires when the client goes away before the answer is complete, so the
 * upstream request is cancelled at once and Google stops generating for nobody.
 */
export function clientAbortSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  req.once('aborted', onClose);
  controllers.set(res, controller);
  return controller.signal;
}

/** Cancels the upstream call behind an answer the proxy itself ended early (shutdown). */
export function abortUpstream(res: object): void {
  controllers.get(res)?.abort();
}

/**
 * The client's abort signal as a route parameter, so a route that returns its value needs
 * neither the request nor the response object.
 */
export const ClientSignal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const http = ctx.switchToHttp();
  return clientAbortSignal(http.getRequest<IncomingMessage>(), http.getResponse<ServerResponse>());
});
