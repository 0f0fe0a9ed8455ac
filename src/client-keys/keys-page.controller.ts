import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { AdminErrorFilter } from '../admin/admin-error.filter';
import { SameOriginGuard } from '../admin/same-origin.guard';
import { ApiError } from '../errors/api-error';
import { renderView } from '../views';
import { AuditActor, AuditLog } from './audit-log';
import { CreateKeyDto, KeyWithSecret, KeyWithUsage, UpdateKeyDto } from './client-key.dto';
import { ClientKeysService } from './client-keys.service';

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const LIMIT_FIELDS = ['rpm', 'tpm', 'daily_tokens', 'monthly_tokens'] as const;

/** A form's fields as the API's DTO: numbers from text, blanks as "no limit". */
function fromForm(form: Record<string, unknown>, editing: boolean): Record<string, unknown> {
  const blank = editing ? null : undefined;
  const text = (name: string) => {
    const value = form[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const out: Record<string, unknown> = {};
  if (text('name') !== undefined || !editing) out.name = text('name') ?? '';
  const models = text('models');
  out.models = models ? models.split(/[\s,]+/).filter(Boolean) : blank;
  for (const field of LIMIT_FIELDS) {
    const value = text(field);
    out[field] = value === undefined ? blank : Number(value);
  }
  const expires = text('expires_at');
  out.expires_at = expires ? new Date(expires).toISOString() : blank;
  return out;
}

async function validated<T extends object>(type: new () => T, plain: object): Promise<T> {
  const dto = plainToInstance(type, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    throw ApiError.badRequest(
      errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ') || 'Invalid form',
    );
  return dto;
}

function limitText(used: number, limit: number | null): string {
  return limit === null ? `${used}` : `${used} / ${limit}`;
}

/** The console's Keys page and audit page: forms only, no script (the pages' CSP forbids it). */
@ApiExcludeController()
@Controller('admin')
@UseFilters(AdminErrorFilter)
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
      { layout: false, entries: await this.audit.recent() },
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
      { layout: false, created, keys: keys.map(row) },
      { context: 'Admin', failure: 'The keys page could not be rendered.' },
    );
  }
}

function row(k: KeyWithUsage) {
  const expired = k.expires_at !== null && Date.parse(k.expires_at) <= Date.now();
  return {
    ...k,
    models: k.models?.join(', ') ?? '',
    state: k.revoked_at ? 'revoked' : expired ? 'expired' : 'active',
    live: !k.revoked_at,
    expiresInput: k.expires_at?.slice(0, 16) ?? '',
    use: {
      rpm: limitText(k.usage.rpm, k.rpm),
      tpm: limitText(k.usage.tpm, k.tpm),
      daily: limitText(k.usage.daily_tokens, k.daily_tokens),
      monthly: limitText(k.usage.monthly_tokens, k.monthly_tokens),
    },
  };
}
