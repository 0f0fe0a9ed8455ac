import type { Request, Response } from 'express';

const controllers = new WeakMap<object, AbortController>();

/**
 * An AbortSignal that fires when the client goes away before the answer is complete, so the
 * upstream request is cancelled at once and Google stops generating for nobody.
 */
export function clientAbortSignal(req: Request, res: Response): AbortSignal {
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
