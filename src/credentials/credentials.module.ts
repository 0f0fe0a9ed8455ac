import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig } from '../config/configuration';
import { Clock } from '../time/clock';
import { TimeModule } from '../time/time.module';
import { CredentialFileStore } from './credential-file-store';
import { CredentialPool } from './credential-pool';
import { CredentialsService } from './credentials.service';
import { DatabaseCredentialSource } from './sources/database-credential-source';
import { DatabaseModule } from '../database/database.module';
import { POOL_STATE_STORE, PoolStateStore } from './pool-state-store';
import { RouteOutModule } from '../route-out/route-out.module';

@Module({
  // The pool's state store and the token coordinator are bound where the app is composed
  // (SharedStateModule), in memory or in Redis.
  imports: [TimeModule, RouteOutModule, DatabaseModule],
  providers: [
    {
      provide: CredentialPool,
      inject: [POOL_STATE_STORE, Clock],
      useFactory: (store: PoolStateStore, clock: Clock) => new CredentialPool(store, clock),
    },
    {
      provide: CredentialFileStore,
      inject: [credentialsConfig.KEY],
      useFactory: (cfg: ConfigType<typeof credentialsConfig>) =>
        new CredentialFileStore(cfg.storagePath),
    },
    CredentialsService,
    DatabaseCredentialSource,
  ],
  exports: [
    CredentialsService,
    DatabaseCredentialSource,
    CredentialPool,
    CredentialFileStore,
    TimeModule,
  ],
})
export class CredentialsModule {}
