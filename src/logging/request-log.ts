import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { serverConfig } from '../config/configuration';
import {
  CompletedRequest,
  formatRequestLine,
  QUIET_ROUTES,
  requestLogFields,
} from './request-record';
import { RequestTracker } from './request-tracker';

/**
 * One line per request: route, model, credential id, attempts, status, duration and tokens, as
 * text or (LOG_FORMAT=json) as an object the JSON console logger prints on one line. Credential
 * ids are emails or key suffixes and routes are templates, so no secret can reach the line.
 */
@Injectable()
export class RequestLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Request');
  private stop?: () => void;

  constructor(
    private readonly tracker: RequestTracker,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
  ) {}

  onModuleInit(): void {
    this.stop = this.tracker.onComplete((r) => this.write(r));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  private write(r: CompletedRequest): void {
    if (QUIET_ROUTES.has(r.route)) return;
    const message = this.server.logFormat === 'json' ? requestLogFields(r) : formatRequestLine(r);
    if (r.status >= 500 && !r.aborted) this.logger.warn(message);
    else this.logger.log(message);
  }
}
