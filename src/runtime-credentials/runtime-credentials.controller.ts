import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { SameOriginGuard } from '../admin/same-origin.guard';
import { AuditActor, AuditLog } from '../client-keys/audit-log';
import { AddCredentialDto, AddedCredential, CredentialView } from './credential-input.dto';
import { MultipartCredentialPipe } from './multipart-credential.pipe';
import { RuntimeCredentialsService } from './runtime-credentials.service';

const VALIDATE = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
});

/** `/admin/api/credentials` (DESIGN §11): the pool changed without a restart. */
@ApiTags('credentials')
@ApiBearerAuth()
@Controller('admin/api/credentials')
export class RuntimeCredentialsController {
  constructor(
    private readonly credentials: RuntimeCredentialsService,
    private readonly audit: AuditLog,
  ) {}

  private who(req: Request): AuditActor {
    return this.audit.actorOf({ headers: req.headers, query: req.query, address: req.ip });
  }

  @Get()
  @ApiOkResponse({ type: [CredentialView] })
  list(): CredentialView[] {
    return this.credentials.list();
  }

  @Post()
  @UseGuards(SameOriginGuard)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiCreatedResponse({ type: AddedCredential })
  add(
    @Body(MultipartCredentialPipe, VALIDATE) dto: AddCredentialDto,
    @Req() req: Request,
  ): Promise<AddedCredential> {
    return this.credentials.add(dto, this.who(req));
  }

  @Delete(':id')
  @HttpCode(204)
  @UseGuards(SameOriginGuard)
  remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    return this.credentials.remove(id, this.who(req));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  @ApiOkResponse({ type: CredentialView })
  disable(@Param('id') id: string, @Req() req: Request): Promise<CredentialView> {
    return this.credentials.setDisabled(id, true, this.who(req));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @UseGuards(SameOriginGuard)
  @ApiOkResponse({ type: CredentialView })
  enable(@Param('id') id: string, @Req() req: Request): Promise<CredentialView> {
    return this.credentials.setDisabled(id, false, this.who(req));
  }
}
