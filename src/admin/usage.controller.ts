import { Controller, Get, Query, Res, UsePipes, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { UsageQueryDto } from '../usage/usage-query.dto';
import { toCsv, UsageReport } from '../usage/usage-report';
import { UsageService } from '../usage/usage.service';

/**
 * The ledger's totals for automation and the console's charts. The global password guard admits
 * the password or the admin cookie (both only, never a client key) to everything under /admin.
 */
@ApiTags('usage')
@ApiBearerAuth()
@Controller('admin/api')
@UsePipes(new ValidationPipe({ transform: true, whitelist: true }))
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get('usage')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: UsageReport })
  async usageReport(@Query() query: UsageQueryDto, @Res() res: Response): Promise<void> {
    const report = await this.usage.report(query);
    res.set('cache-control', 'no-store');
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`usage-${report.bucket}-${report.group}.csv`)
        .send(toCsv(report.rows));
      return;
    }
    res.json(report);
  }
}
