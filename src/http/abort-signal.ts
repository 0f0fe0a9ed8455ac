import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Kept on the objects themselves, not in WeakMaps: V8's young-generation GC treats every WeakMap
// value as live, so a value that leads back to its key (the answer to its controller, the signal to
// its answer) kept every request's whole object graph until a full GC, and more than half of each
// request's objects were copied and promoted (docs/performance.md, 2026-11-30 evening).
const CONTROLLER = Symbol('clientAbortController');
/** The answer a client signal belongs to; upstream events carry the signal (see responseOf). */
const ANSWER = Symbol('clientAnswer');

interface WithController {
  [CONTROLLER]?: AbortController;
}
interface WithAnswer {
  [ANSWER]?: ServerResponse;
}

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
  (res as WithController)[CONTROLLER] = controller;
  (controller.signal as WithAnswer)[ANSWER] = res;
  return controller.signal;
}

/**
 * The answer whose client signal this is: upstream events name their request by the signal the
 * dispatcher was given, and the request log finds its record by the answer.
 */
export function responseOf(signal: AbortSignal): ServerResponse | undefined {
  return (signal as WithAnswer)[ANSWER];
}

/** Cancels the upstream call behind an answer the proxy itself ended early (shutdown). */
export function abortUpstream(res: object): void {
  (res as WithController)[CONTROLLER]?.abort();
}

/**
 * The client's abort signal as a route parameter, so a route that returns its value needs
 * neither the request nor the response object.
 */
export const ClientSignal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const http = ctx.switchToHttp();
  return clientAbortSignal(http.getRequest<IncomingMessage>(), http.getResponse<ServerResponse>());
});
