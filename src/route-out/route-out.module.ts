import { Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { RouteOut } from './route-out';

/** The one way out to Google, shared by the model calls and the token grants, closed at shutdown. */
@Module({
  providers: [
    {
      provide: RouteOut,
      inject: [upstreamConfig.KEY],
      useFactory: (cfg: ConfigType<typeof upstreamConfig>) => new RouteOut(cfg.routeOut),
    },
  ],
  exports: [RouteOut],
})
export class RouteOutModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly routeOut: RouteOut) {}

  onModuleInit(): void {
    const route = this.routeOut.describe();
    if (route !== 'direct') new Logger('RouteOut').log(`Calls to Google go ${route}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.routeOut.close();
  }
}
