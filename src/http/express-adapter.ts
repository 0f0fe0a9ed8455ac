import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

/**
 * Nest's Express adapter, with an HTTP server that makes every request and response with
 * Express's own prototypes (`app.request`, `app.response`) from the start.
 *
 * Express otherwise re-parents each of them with `Object.setPrototypeOf` as it arrives, and on
 * Node 20 an object whose prototype was changed is not freed by V8's young-generation collections:
 * every request's whole object graph (request, response, body, router closures) was copied and
 * then promoted to the old generation, which made each scavenge take 2–3 ms and a full collection
 * run every second or so at 500 req/s (docs/performance.md, 2026-11-30 evening). With the
 * prototype already in place, Express's call changes nothing.
 */
export class ProxyExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<Express>();
    this.setHttpServer(
      createServer(
        {
          IncomingMessage: withPrototype(IncomingMessage, app.request),
          ServerResponse: withPrototype(ServerResponse, app.response),
        },
        app,
      ),
    );
  }
}

/** A constructor that builds what `base` builds, on `prototype` (which must inherit from base's). */
function withPrototype<T extends typeof IncomingMessage | typeof ServerResponse>(
  base: T,
  prototype: object,
): T {
  // Node's http classes are plain constructor functions, extended the way Node extends them.
  function Derived(this: object, ...args: unknown[]) {
    (base as unknown as (...a: unknown[]) => void).apply(this, args);
  }
  Derived.prototype = prototype;
  return Derived as unknown as T;
}
