import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminErrorFilter } from './admin-error.filter';
import { AdminStatus } from './admin-view';
import { AdminService } from './admin.service';
import { SameOriginGuard } from './same-origin.guard';

/** The pool status page and API. The global password guard protects every route here. */
@Controller('admin')
@UseFilters(AdminErrorFilter)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  page(@Query('key') key: unknown, @Query('enabled') enabled: unknown, @Res() res: Response): void {
    res
      .set(PAGE_HEADERS)
      .type('html')
      .send(this.admin.page({ key: text(key), enabled: text(enabled) }));
  }

  @Get('credentials')
  credentials(): AdminStatus {
    return this.admin.status();
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
      const query = new URLSearchParams({ enabled: id, ...(text(key) ? { key: text(key) } : {}) });
      res.redirect(303, `/admin?${query.toString()}`);
      return;
    }
    res.json(credential);
  }
}

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  // The page may carry the password in its URL: never let it leak to the fix links Google gives.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
