import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  UseGuards,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { SameOriginGuard } from '../admin/same-origin.guard';
import { CreateKeyDto, KeyView, KeyWithSecret, KeyWithUsage, UpdateKeyDto } from './client-key.dto';
import { AuditActor, AuditLog } from './audit-log';
import { ClientKeysService } from './client-keys.service';

/** `/admin/api/keys` (DESIGN §13): the password or admin cookie only, as all of /admin. */
@ApiTags('keys')
@ApiBearerAuth()
@Controller('admin/api/keys')
@UsePipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
export class ClientKeysController {
  constructor(
    private readonly keys: ClientKeysService,
    private readonly audit: AuditLog,
  ) {}

  private who(req: Request): AuditActor {
    return this.audit.actorOf({ headers: req.headers, query: req.query, address: req.ip });
  }

  @Get()
  @ApiOkResponse({ type: [KeyWithUsage] })
  list(): Promise<KeyWithUsage[]> {
    return this.keys.list();
  }

  @Post()
  @UseGuards(SameOriginGuard)
  @ApiOperation({ summary: 'Create a key; the answer shows its secret, this once' })
  @ApiCreatedResponse({ type: KeyWithSecret })
  create(@Body() dto: CreateKeyDto, @Req() req: Request): Promise<KeyWithSecret> {
    return this.keys.create(dto, this.who(req));
  }

  @Patch(':id')
  @UseGuards(SameOriginGuard)
  @ApiOkResponse({ type: KeyView })
  update(
    @Param('id') id: string,
    @Body() dto: UpdateKeyDto,
    @Req() req: Request,
  ): Promise<KeyView> {
    return this.keys.update(id, dto, this.who(req));
  }

  @Delete(':id')
  @UseGuards(SameOriginGuard)
  @ApiOperation({ summary: 'Revoke a key (it stays listed with revoked_at)' })
  @ApiOkResponse({ type: KeyView })
  revoke(@Param('id') id: string, @Req() req: Request): Promise<KeyView> {
    return this.keys.revoke(id, this.who(req));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  @ApiOkResponse({ type: KeyView })
  revokeByPost(@Param('id') id: string, @Req() req: Request): Promise<KeyView> {
    return this.keys.revoke(id, this.who(req));
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  @ApiOperation({ summary: 'A new secret for the same key; the old one stops working' })
  @ApiOkResponse({ type: KeyWithSecret })
  rotate(@Param('id') id: string, @Req() req: Request): Promise<KeyWithSecret> {
    return this.keys.rotate(id, this.who(req));
  }
}
