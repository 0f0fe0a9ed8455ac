import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { serverConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { isSameOrigin, originOf } from './same-origin';

/**
 * Refuses state-changing requests that a browser sends from another site: a browser holding the
 * admin cookie or a cached Basic-auth password would otherwise re-enable credentials for any page
 * that posts a form. Requests without browser headers (curl, scripts) pass; the password guard
 * still applies.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  private readonly publicOrigin: string;

  constructor(@Inject(serverConfig.KEY) server: ConfigType<typeof serverConfig>) {
    this.publicOrigin = originOf(server.domainName);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const trust = req.app.get('trust proxy fn') as (address: string, hop: number) => boolean;
    const forwarded =
      req.get('x-forwarded-host') !== undefined && trust(req.socket.remoteAddress ?? '', 0);
    const allowed = isSameOrigin({
      origin: req.get('origin'),
      fetchSite: req.get('sec-fetch-site'),
      publicOrigin: this.publicOrigin,
      requestOrigin: `${req.protocol}://${req.host}`,
      forwardedByTrustedProxy: forwarded,
    });
    if (allowed) return true;
    throw new ApiError({
      status: 403,
      kind: 'permission',
      message: 'Cross-site requests may not change the pool.',
    });
  }
}
