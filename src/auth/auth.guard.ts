import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { authConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { AdminCookie, isAdminPath } from './admin-cookie';
import { CLIENT_KEY_LOOKUP, ClientKeyLookup } from './client-key-lookup';
import { passwordDigest, presentedPasswords } from './password';
import { IS_PUBLIC } from './public.decorator';

/**
 * Checks the proxy password on every route not marked @Public(), or on the model routes a client
 * key (DESIGN §13), which it binds to the request for the key's limits.
 */
@Injectable()
export class PasswordGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly adminCookie: AdminCookie,
    @Optional() @Inject(CLIENT_KEY_LOOKUP) private readonly clientKeys?: ClientKeyLookup,
  ) {
    this.expected = passwordDigest(this.config.password);
  }

  /** @Public() is read once per route (class and handler): its metadata is fixed at build time. */
  private readonly publicRoutes = new WeakMap<object, WeakMap<object, boolean>>();

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const type = context.getClass();
    let byHandler = this.publicRoutes.get(type);
    if (!byHandler) this.publicRoutes.set(type, (byHandler = new WeakMap()));
    let open = byHandler.get(handler);
    if (open === undefined) {
      open = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, type]) === true;
      byHandler.set(handler, open);
    }
    return open;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.isPublic(context)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const presented = presentedPasswords({ headers: req.headers, query: req.query });
    // Check every presented value so the time taken does not depend on which one matched.
    let ok = false;
    const digests = presented.map(passwordDigest);
    for (const digest of digests) ok = timingSafeEqual(digest, this.expected) || ok;
    // The status page's sign-in cookie (set after `/admin?key=`) opens /admin and nothing else.
    if (isAdminPath(req.path)) ok = this.adminCookie.presentIn(req.headers.cookie) || ok;
    if (ok) return true;
    if (this.clientKeys && acceptsClientKeys(req.path)) {
      // The secret is 256 random bits: a map lookup by its hash reveals nothing worth timing.
      for (const digest of digests) {
        const key = this.clientKeys.find(digest.toString('hex'));
        if (!key) continue;
        if (key.expiresAt !== null && key.expiresAt <= Date.now())
          throw new ApiError({
            status: 401,
            kind: 'authentication',
            message: `This proxy's ${key.label} expired at ${new Date(key.expiresAt).toISOString()}.`,
            code: 'invalid_api_key',
          });
        this.clientKeys.admit(req, digest.toString('hex'));
        return true;
      }
    }
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

/** Client keys open the model routes only: never /admin* or /metrics (DESIGN §5). */
function acceptsClientKeys(path: string): boolean {
  return !path.startsWith('/admin') && !path.startsWith('/metrics');
}
