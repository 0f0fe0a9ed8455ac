import { Controller, Get, Param, Query, Res, UsePipes, ValidationPipe } from '@nestjs/common';
import type { Response } from 'express';
import { renderView } from '../http/views';
import { ConsoleAssets } from './console-assets';
import { UsagePageQueryDto } from './usage-page-query.dto';
import { UsagePageService } from './usage-page.service';

/** The console's usage page and the scripts it runs; the global password guard covers both. */
@Controller('admin')
@UsePipes(new ValidationPipe({ transform: true, whitelist: true }))
export class UsagePageController {
  constructor(
    private readonly usage: UsagePageService,
    private readonly assets: ConsoleAssets,
  ) {}

  @Get('usage')
  async page(@Query() query: UsagePageQueryDto, @Res() res: Response): Promise<void> {
    const model = await this.usage.page(query);
    res.set(USAGE_PAGE_HEADERS);
    renderView(
      res,
      'usage',
      { ...model, layout: false },
      { context: 'Admin', failure: 'The usage page could not be rendered.' },
    );
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const { type, body } = this.assets.get(name);
    res.set({ 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
    res.type(type).send(body);
  }
}

/** As the pool page's, plus the proxy's own scripts and styles; nothing from another host. */
const USAGE_PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};
