import { Controller, Get, UseFilters } from '@nestjs/common';
import { AdminErrorFilter } from '../admin/admin-error.filter';
import { QuotaService } from './quota.service';
import { QuotaView } from './quota-view';

/** Used/limit per window for every credential and model; behind the proxy password like /admin. */
@Controller('admin/api/quota')
@UseFilters(AdminErrorFilter)
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @Get()
  view(): Promise<QuotaView> {
    return this.quota.view();
  }
}
