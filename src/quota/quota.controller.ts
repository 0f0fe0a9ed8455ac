import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { QuotaService } from './quota.service';
import { QuotaView } from './quota-view';

/** Used/limit per window for every credential and model; behind the proxy password like /admin. */
@ApiTags('quota')
@Controller('admin/api/quota')
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @Get()
  view(): Promise<QuotaView> {
    return this.quota.view();
  }
}
