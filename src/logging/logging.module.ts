import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { RequestLog } from './request-log';
import { RequestTracker } from './request-tracker';

@Module({
  imports: [UpstreamModule],
  providers: [RequestTracker, RequestLog],
  exports: [RequestTracker],
})
export class LoggingModule {}
