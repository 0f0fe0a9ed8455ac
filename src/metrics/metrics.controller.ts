import { Controller, Get, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { MetricsService } from './metrics.service';

/** `GET /metrics`: Prometheus text format, behind the proxy password like every other route. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res() res: ServerResponse): Promise<void> {
    const body = await this.metrics.scrape();
    // As prom-client names it: Express's res.type()/send() would rewrite the media type's parameters.
    res.setHeader('content-type', this.metrics.contentType);
    res.end(body);
  }
}
