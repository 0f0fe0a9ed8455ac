import { Module } from '@nestjs/common';
import { RouteOut } from '../route-out/route-out';
import { RouteOutModule } from '../route-out/route-out.module';
import { UpstreamHttp } from './upstream-http';

/** The one HTTP client to Google, shared by every backend; RouteOutModule closes its dispatchers. */
@Module({
  imports: [RouteOutModule],
  providers: [
    {
      provide: UpstreamHttp,
      inject: [RouteOut],
      useFactory: (routeOut: RouteOut) => new UpstreamHttp(routeOut),
    },
  ],
  exports: [UpstreamHttp],
})
export class UpstreamHttpModule {}
