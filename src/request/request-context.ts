import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestRecord } from './request-record';

/** The plain property of the response that holds its context (see requestContextOf). */
const CONTEXT = 'proxyContext';

interface WithContext {
  [CONTEXT]?: RequestContext;
}

let lastId = 0;

/**
 * One client request as the layers below the edge see it: the signal that cancels its upstream
 * call, the record its log line is written from, and the client's own request (headers, parsed
 * body). Passed down explicitly from the route to the dispatcher and back up in its events.
 *
 * Kept as a plain property of the response, not in a WeakMap: V8's young-generation GC treats
 * every WeakMap value as live, so a value that leads back to its key kept every request's whole
 * object graph until a full GC (docs/performance.md, 2026-11-30 evening).
 */
export class RequestContext {
  /** Numbers the requests of this process in arrival order. */
  readonly id = ++lastId;
  /** Set by the request log for every request it follows. */
  record?: RequestRecord;
  private controller?: AbortController;

  /** Without an answer (specs, calls of the proxy's own), only `abort()` fires the signal. */
  constructor(
    readonly client?: IncomingMessage,
    private readonly answer?: ServerResponse,
  ) {}

  /**
   * Fires when the client goes away before the answer is complete, so the upstream call is
   * cancelled at once and Google stops generating for nobody. Made on first use: most routes
   * that never call Google never need one.
   */
  get signal(): AbortSignal {
    return (this.controller ??= this.watchClient()).signal;
  }

  /** Cancels the upstream call behind an answer the proxy itself ended early (shutdown). */
  abort(): void {
    this.controller?.abort();
  }

  private watchClient(): AbortController {
    const controller = new AbortController();
    const res = this.answer;
    if (res) {
      const onClose = () => {
        if (!res.writableFinished) controller.abort();
      };
      // A response closes once: `on` spares the wrapper once() would allocate.
      res.on('close', onClose);
      this.client?.on('aborted', onClose);
    }
    return controller;
  }
}

/** The context of a request, made on first asking (the request log asks first, on arrival). */
export function requestContextOf(req: IncomingMessage, res: ServerResponse): RequestContext {
  return ((res as WithContext)[CONTEXT] ??= new RequestContext(req, res));
}

/** The context of an answer, if anything asked for one while it was served. */
export function contextOfAnswer(res: object): RequestContext | undefined {
  return (res as WithContext)[CONTEXT];
}
