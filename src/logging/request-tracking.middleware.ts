import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestTracker } from './request-tracker';

/**
 * Puts every request under the tracker, refused ones too: bound to all routes (and unknown paths)
 * by LoggingModule, ahead of guards, interceptors and the body read.
 */
@Injectable()
export class RequestTrackingMiddleware implements NestMiddleware {
  constructor(private readonly tracker: RequestTracker) {}

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    this.tracker.track(req, res, next);
  }
}
