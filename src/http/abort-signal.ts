import type { Request, Response } from 'express';

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
  return controller.signal;
}
