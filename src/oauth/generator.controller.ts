import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { readCookie } from '../http/read-cookie';
import { LOGIN_COOKIE, LOGIN_COOKIE_MAX_AGE_MS } from './browser-cookie';
import { GeneratorService } from './generator.service';
import { renderPage } from './views';

/** The `--gen-creds` pages. Public: the generator runs without the proxy password. */
@Public()
@Controller()
export class GeneratorController {
  constructor(private readonly generator: GeneratorService) {}

  @Get()
  async form(@Res() res: Response): Promise<void> {
    renderPage(res, 'login', await this.generator.loginPage());
  }

  @Post('login')
  login(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): void {
    const { consentUrl, browserId } = this.generator.startLogin({
      projectId: body?.project_id,
      browserId: browserCookie(req),
      // X-Forwarded-For counts only from a proxy on this host ('trust proxy' is 'loopback').
      clientAddress: req.ip,
    });
    // Lax: sent on Google's top-level redirect back to the callback, not on cross-site posts.
    res.cookie(LOGIN_COOKIE, browserId, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: LOGIN_COOKIE_MAX_AGE_MS,
    });
    res.redirect(302, consentUrl);
  }

  @Get('oauth2callback')
  async callback(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    renderPage(res, 'success', await this.generator.completeCallback(query, browserCookie(req)));
  }

  /** For remote servers: the address Google sent the browser to, copied from its address bar. */
  @Post('paste-callback')
  async pasted(
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.generator.completePasted(body?.callback_url, browserCookie(req));
    renderPage(res, 'success', page);
  }
}

function browserCookie(req: Request): string | undefined {
  return readCookie(req.headers.cookie, LOGIN_COOKIE);
}
