import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '../http/api-error';

/**
 * Refuses state-changing requests that a browser sends from another site: a browser that has the
 * Basic-auth password cached would otherwise re-enable credentials for any page that posts a form.
 * Requests without browser headers (curl, scripts) pass; the password guard still applies.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const crossSite =
      site === 'cross-site' ||
      (origin !== undefined && origin !== 'null' && hostOf(origin) !== req.headers.host);
    if (!crossSite) return true;
    throw new ApiError({
      status: 403,
      kind: 'permission',
      message: 'Cross-site requests may not change the pool.',
    });
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
