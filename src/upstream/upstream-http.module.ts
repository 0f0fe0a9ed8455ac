import { Module, OnApplicationShutdown } from '@nestjs/common';
import { UpstreamHttp } from './upstream-http';

/** The one HTTP agent to Google, shared by every backend and closed at shutdown. */
@Module({
  providers: [{ provide: UpstreamHttp, useFactory: () => new UpstreamHttp() }],
  exports: [UpstreamHttp],
})
export class UpstreamHttpModule implements OnApplicationShutdown {
  constructor(private readonly http: UpstreamHttp) {}

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
