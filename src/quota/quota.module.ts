import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { quotaConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { CredentialPool } from '../credentials/credential-pool';
import { CredentialsModule } from '../credentials/credentials.module';
import { RedisConnection } from '../state/redis-connection';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import { QuotaController } from './quota.controller';
import { QuotaService } from './quota.service';
import { QuotaOptions, QuotaRouter } from './quota-router';
import { InMemoryQuotaStore, MAX_QUOTA_ENTRIES, QuotaStore } from './quota-store';
import { RedisQuotaStore } from './redis-quota-store';
import { AffinityStore, InMemoryAffinityStore, RedisAffinityStore } from './session-affinity';

/** The router's settings; a token so that a test can turn routing off and measure round-robin. */
export const QUOTA_OPTIONS = Symbol('QUOTA_OPTIONS');
const QUOTA_STORE = Symbol('QUOTA_STORE');
const AFFINITY_STORE = Symbol('AFFINITY_STORE');

@Module({
  imports: [CredentialsModule, StateModule],
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
      provide: QUOTA_STORE,
      inject: [REDIS_CONNECTION],
      useFactory: (redis: RedisConnection | null): QuotaStore =>
        redis ? new RedisQuotaStore(redis, MAX_QUOTA_ENTRIES) : new InMemoryQuotaStore(),
    },
    {
      provide: AFFINITY_STORE,
      inject: [REDIS_CONNECTION, QUOTA_OPTIONS, Clock],
      useFactory: (
        redis: RedisConnection | null,
        options: QuotaOptions,
        clock: Clock,
      ): AffinityStore =>
        redis
          ? new RedisAffinityStore(redis, options.affinityTtlMs, () => clock.now())
          : new InMemoryAffinityStore(options.affinityTtlMs, () => clock.now()),
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
    QuotaService,
  ],
  exports: [QuotaRouter, QuotaService],
})
export class QuotaModule {}
