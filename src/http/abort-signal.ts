import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

const controllers = new WeakMap<object, AbortController>();
/** The answer each client signal belongs to; upstream events carry the signal (see responseOf). */
const answers = new WeakMap<AbortSignal, ServerResponse>();

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
  answers.set(controller.signal, res);
  return controller.signal;
}

/**
 * The answer whose client signal this is: upstream events name their request by the signal the
 * dispatcher was given, and the request log finds its record by the answer.
 */
export function responseOf(signal: AbortSignal): ServerResponse | undefined {
  return answers.get(signal);
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
