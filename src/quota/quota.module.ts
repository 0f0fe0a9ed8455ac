import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { quotaConfig } from '../config/configuration';
import { CALL_QUOTA } from '../upstream/call-quota';
import { Clock } from '../time/clock';
import { TimeModule } from '../time/time.module';
import { CredentialPool } from '../credentials/credential-pool';
import { CredentialsModule } from '../credentials/credentials.module';
import { QuotaController } from './quota.controller';
import { QuotaService } from './quota.service';
import { QuotaOptions, QuotaRouter } from './quota-router';
import { QUOTA_STORE, QuotaStore } from './quota-store';
import { AFFINITY_STORE, AffinityStore } from './session-affinity';

/** The router's settings; a token so that a test can turn routing off and measure round-robin. */
export const QUOTA_OPTIONS = Symbol('QUOTA_OPTIONS');

/**
 * The quota router; its counters' and affinity stores are bound in SharedStateModule. Global so
 * that upstream's dispatcher gets CALL_QUOTA without importing quota/, which reads upstream's
 * errors: the dependency runs one way, quota → upstream.
 */
@Global()
@Module({
  imports: [CredentialsModule, TimeModule],
  controllers: [QuotaController],
  providers: [
    {
      provide: QUOTA_OPTIONS,
      inject: [quotaConfig.KEY],
      useFactory: (cfg: ConfigType<typeof quotaConfig>): QuotaOptions => ({
        routing: true,
        ...cfg,
      }),
    },
    {
      provide: QuotaRouter,
      inject: [QUOTA_STORE, AFFINITY_STORE, CredentialPool, Clock, QUOTA_OPTIONS],
      useFactory: (
        store: QuotaStore,
        affinity: AffinityStore,
        pool: CredentialPool,
        clock: Clock,
        options: QuotaOptions,
      ) => new QuotaRouter(store, affinity, pool, clock, options),
    },
    { provide: CALL_QUOTA, useExisting: QuotaRouter },
    QuotaService,
  ],
  exports: [QuotaRouter, QuotaService, CALL_QUOTA],
})
export class QuotaModule {}
