import { Body, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SameOriginGuard } from '../admin/same-origin.guard';
import { AuditActor, AuditLog } from '../client-keys/audit-log';
import { validated } from '../client-keys/key-form';
import { consoleNav } from '../admin/console-nav';
import { renderView } from '../http/views';
import { AddCredentialDto } from './credential-input.dto';
import { MultipartCredentialPipe } from './multipart-credential.pipe';
import { RuntimeCredentialsService } from './runtime-credentials.service';

const PAGE = '/admin/pool-credentials';
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** The pool's credentials as the console manages them: add a key or a file, remove, disable, enable. */
@ApiExcludeController()
@Controller('admin/pool-credentials')
export class CredentialsPageController {
  constructor(
    private readonly credentials: RuntimeCredentialsService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  page(@Res() res: Response): void {
    res.set(PAGE_HEADERS);
    renderView(
      res,
      'pool-credentials',
      {
        layout: false,
        nav: consoleNav('credentials'),
        credentials: this.credentials.list().map((c) => ({ ...c, path: encodeURIComponent(c.id) })),
      },
      { context: 'Admin', failure: 'The credentials page could not be rendered.' },
    );
  }

  /** A key from the form's fields, or a file uploaded in `file` (multipart). */
  @Post()
  @UseGuards(SameOriginGuard)
  async add(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const dto = await validated(
      AddCredentialDto,
      new MultipartCredentialPipe().transform(body) ?? {},
    );
    await this.credentials.add(dto, this.who(req));
    res.redirect(303, PAGE);
  }

  @Post(':id/remove')
  @UseGuards(SameOriginGuard)
  async remove(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.credentials.remove(id, this.who(req));
    res.redirect(303, PAGE);
  }

  @Post(':id/disable')
  @UseGuards(SameOriginGuard)
  async disable(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.credentials.setDisabled(id, true, this.who(req));
    res.redirect(303, PAGE);
  }

  @Post(':id/enable')
  @UseGuards(SameOriginGuard)
  async enable(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.credentials.setDisabled(id, false, this.who(req));
    res.redirect(303, PAGE);
  }

  private who(req: Request): AuditActor {
    return this.audit.actorOf({ headers: req.headers, query: req.query, address: req.ip });
  }
}
