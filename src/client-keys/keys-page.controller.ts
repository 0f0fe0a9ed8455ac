import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SameOriginGuard } from '../admin/same-origin.guard';
import { consoleNav } from '../admin/console-nav';
import { renderView } from '../http/views';
import { AuditActor, AuditLog } from './audit-log';
import { CreateKeyDto, KeyWithSecret, UpdateKeyDto } from './client-key.dto';
import { ClientKeysService } from './client-keys.service';
import { fromForm, keyRow, validated } from './key-form';

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** The console's Keys page and audit page: forms only, no script (the pages' CSP forbids it). */
@ApiExcludeController()
@Controller('admin')
export class KeysPageController {
  constructor(
    private readonly keys: ClientKeysService,
    private readonly audit: AuditLog,
  ) {}

  @Get('keys')
  async page(@Res() res: Response): Promise<void> {
    await this.render(res);
  }

  /** The one answer that shows a new secret: rendered here, never a redirect (the address would keep it). */
  @Post('keys')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  async create(
    @Body() form: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const dto = await validated(CreateKeyDto, fromForm(form ?? {}, false));
    await this.render(res, await this.keys.create(dto, this.who(req)));
  }

  @Post('keys/:id/edit')
  @UseGuards(SameOriginGuard)
  async edit(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const dto = await validated(UpdateKeyDto, fromForm(form ?? {}, true));
    await this.keys.update(id, dto, this.who(req));
    res.redirect(303, '/admin/keys');
  }

  @Post('keys/:id/rotate')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  async rotate(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(res, await this.keys.rotate(id, this.who(req)));
  }

  @Post('keys/:id/revoke-form')
  @UseGuards(SameOriginGuard)
  async revoke(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.keys.revoke(id, this.who(req));
    res.redirect(303, '/admin/keys');
  }

  @Get('audit')
  async auditPage(@Res() res: Response): Promise<void> {
    res.set(PAGE_HEADERS);
    renderView(
      res,
      'audit',
      { layout: false, nav: consoleNav('audit'), entries: await this.audit.recent() },
      { context: 'Admin', failure: 'The audit page could not be rendered.' },
    );
  }

  private who(req: Request): AuditActor {
    return this.audit.actorOf({ headers: req.headers, query: req.query, address: req.ip });
  }

  private async render(res: Response, created?: KeyWithSecret): Promise<void> {
    const keys = await this.keys.list();
    res.set(PAGE_HEADERS);
    renderView(
      res,
      'keys',
      { layout: false, nav: consoleNav('keys'), created, keys: keys.map(keyRow) },
      { context: 'Admin', failure: 'The keys page could not be rendered.' },
    );
  }
}
