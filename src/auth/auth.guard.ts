import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { authConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { AdminCookie, isAdminPath } from './admin-cookie';
import { digestMatches, passwordDigest, presentedPasswords } from './password';
import { IS_PUBLIC } from './public.decorator';

/** Checks the proxy password on every route not marked @Public(). */
@Injectable()
export class PasswordGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly adminCookie: AdminCookie,
  ) {
    this.expected = passwordDigest(this.config.password);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const presented = presentedPasswords({ headers: req.headers, query: req.query });
    // Check every presented value so the time taken does not depend on which one matched.
    let ok = false;
    for (const candidate of presented) ok = digestMatches(candidate, this.expected) || ok;
    // The status page's sign-in cookie (set after `/admin?key=`) opens /admin and nothing else.
    if (isAdminPath(req.path)) ok = this.adminCookie.presentIn(req.headers.cookie) || ok;
    if (ok) return true;
    throw new ApiError({
      status: 401,
      kind: 'authentication',
      message:
        presented.length === 0
          ? 'Missing proxy password. Send it as "Authorization: Bearer <password>", "x-goog-api-key", "x-api-key" or "?key=".'
          : 'Invalid proxy password.',
      code: 'invalid_api_key',
    });
  }
}
