import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DatabaseModule } from '../database/database.module';
import { LoggingModule } from '../logging/logging.module';
import { ModelsModule } from '../models/models.module';
import { RedisConnection } from '../state/redis-connection';
import { REDIS_CONNECTION, StateModule } from '../state/state.module';
import { AuditLog } from './audit-log';
import { ClientKeyInterceptor } from './client-key.interceptor';
import { ClientKeyLimits, KEY_COUNTERS } from './client-key-limits';
import { ClientKeyRegistry } from './client-key-registry';
import { ClientKeyRepository } from './client-key-repository';
import { ClientKeysController } from './client-keys.controller';
import { ClientKeysService } from './client-keys.service';
import { KeysPageController } from './keys-page.controller';
import { KeyCounters, MemoryKeyCounters, RedisKeyCounters } from './key-counters';

/** Client keys with limits (DESIGN §13) and the audit trail of /admin's changes. */
@Module({
  imports: [DatabaseModule, StateModule, LoggingModule, ModelsModule],
  controllers: [ClientKeysController, KeysPageController],
  providers: [
    ClientKeyRepository,
    ClientKeyRegistry,
    ClientKeyLimits,
    ClientKeysService,
    AuditLog,
    {
      provide: KEY_COUNTERS,
      inject: [REDIS_CONNECTION],
      useFactory: (redis: RedisConnection | null): KeyCounters =>
        redis ? new RedisKeyCounters(redis) : new MemoryKeyCounters(),
    },
    { provide: APP_INTERCEPTOR, useClass: ClientKeyInterceptor },
  ],
  exports: [ClientKeyRegistry, AuditLog],
})
export class ClientKeysModule {}
