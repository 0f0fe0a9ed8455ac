import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ADMIN_COOKIE, ADMIN_COOKIE_MAX_AGE_MS, ADMIN_COOKIE_PATH } from '../auth/admin-cookie';
import { renderView } from '../http/views';
import { AdminStatus } from './admin-view';
import { AdminService } from './admin.service';
import { OpenApiDocument } from './openapi-document';
import { SameOriginGuard } from './same-origin.guard';

/**
 * The pool status page and API. The global password guard protects every route here; it also
 * takes the sign-in cookie that `/admin?key=<password>` sets.
 */
@Controller('admin')
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly openApi: OpenApiDocument,
  ) {}

  /** With `?key=`, trades the password for the cookie and sends the browser to the bare address. */
  @Get()
  async page(
    @Query('key') key: unknown,
    @Query('enabled') enabled: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    res.set(PAGE_HEADERS);
    if (key !== undefined) {
      this.signIn(key, req, res);
      res.redirect(303, pageAddress(text(enabled)));
      return;
    }
    // A whole document of its own, not the generator's layout.
    renderView(
      res,
      'admin',
      { ...(await this.admin.page({ enabled: text(enabled) })), layout: false },
      { context: 'Admin', failure: 'The admin page could not be rendered.' },
    );
  }

  @Get('credentials')
  credentials(): Promise<AdminStatus> {
    return this.admin.status();
  }

  /** The OpenAPI description of /admin/api, as JSON (no UI: the console stays offline-only). */
  @Get('api/docs')
  apiDocs(): Promise<Record<string, unknown>> {
    return this.openApi.get();
  }

  /** A form on the page posts here and is sent back to the page; API clients get the credential. */
  @Post('credentials/:id/enable')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  enable(
    @Param('id') id: string,
    @Query('key') key: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): void {
    const credential = this.admin.enable(id);
    if (req.accepts(['json', 'html']) === 'html') {
      this.signIn(key, req, res);
      res.redirect(303, pageAddress(id));
      return;
    }
    res.json(credential);
  }

  /**
   * A password in the address stays in history, bookmarks and screenshots: when it is the right
   * one, the browser gets a cookie for /admin instead. Strict, so no other site's link or form
   * carries it; HttpOnly, so no script reads it.
   */
  private signIn(key: unknown, req: Request, res: Response): void {
    const presented = text(key);
    const value = presented === undefined ? undefined : this.admin.signInCookie(presented);
    if (value === undefined) return;
    res.cookie(ADMIN_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: ADMIN_COOKIE_PATH,
      maxAge: ADMIN_COOKIE_MAX_AGE_MS,
    });
  }
}

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  // Google's fix links must not learn where the proxy runs. Not `no-referrer`: under it browsers
  // send `Origin: null` with the page's own forms, which the same-origin check must refuse.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function pageAddress(enabled: string | undefined): string {
  return enabled ? `/admin?${new URLSearchParams({ enabled }).toString()}` : '/admin';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
