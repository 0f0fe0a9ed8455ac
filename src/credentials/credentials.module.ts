import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig } from '../config/configuration';
import { Clock, SystemClock } from './clock';
import { CredentialFileStore } from './credential-file-store';
import { CredentialPool } from './credential-pool';
import { CredentialsService } from './credentials.service';
import { InMemoryPoolStateStore } from './pool-state-store';

export const POOL_STATE_STORE = Symbol('POOL_STATE_STORE');

@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: POOL_STATE_STORE, useFactory: () => new InMemoryPoolStateStore() },
    {
      provide: CredentialPool,
      inject: [POOL_STATE_STORE, Clock],
      useFactory: (store: InMemoryPoolStateStore, clock: Clock) => new CredentialPool(store, clock),
    },
    {
      provide: CredentialFileStore,
      inject: [credentialsConfig.KEY],
      useFactory: (cfg: ConfigType<typeof credentialsConfig>) =>
        new CredentialFileStore(cfg.storagePath),
    },
    CredentialsService,
  ],
  exports: [CredentialsService, CredentialPool, CredentialFileStore, Clock],
})
export class CredentialsModule {}
