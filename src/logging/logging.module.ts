import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { RequestLog } from './request-log';
import { RequestTracker } from './request-tracker';
import { RequestTrackingMiddleware } from './request-tracking.middleware';

@Module({
  imports: [UpstreamModule],
  providers: [RequestTracker, RequestLog, RequestTrackingMiddleware],
  exports: [RequestTracker],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestTrackingMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
