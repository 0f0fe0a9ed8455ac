import { CLIENT_KEY_LOOKUP, ClientKeyLookup } from '../auth/client-key-lookup';
import { REQUEST_ADMISSION } from '../auth/request-admission';
import { Global, Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { LoggingModule } from '../logging/logging.module';
import { ModelsModule } from '../models/models.module';
import { RedisConnection } from '../redis/redis-connection';
import { REDIS_CONNECTION, RedisModule } from '../redis/redis.module';
import { AuditLog } from './audit-log';
import { ClientKeyAdmission } from './client-key-admission.guard';
import { ClientKeyLimits, KEY_COUNTERS } from './client-key-limits';
import { ClientKeyRegistry } from './client-key-registry';
import { ClientKeyRepository } from './client-key-repository';
import { ClientKeysController } from './client-keys.controller';
import { ClientKeysService } from './client-keys.service';
import { KeysPageController } from './keys-page.controller';
import { KeyCounters, MemoryKeyCounters, RedisKeyCounters } from './key-counters';

/** Client keys with limits (DESIGN §13) and the audit trail of /admin's changes. */
@Module({
  imports: [DatabaseModule, RedisModule, LoggingModule, ModelsModule],
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
    ClientKeyAdmission,
  ],
  exports: [ClientKeyRegistry, AuditLog, ClientKeyAdmission],
})
export class ClientKeysModule {}

/**
 * Binds auth's client-key port to the registry. Global, as the store bindings are: auth sits in a
 * ring below the keys and may not import them; the app imports this once where it is composed.
 */
@Global()
@Module({
  imports: [ClientKeysModule],
  providers: [
    {
      provide: CLIENT_KEY_LOOKUP,
      inject: [ClientKeyRegistry],
      useFactory: (registry: ClientKeyRegistry): ClientKeyLookup => registry.forGuard,
    },
    { provide: REQUEST_ADMISSION, useExisting: ClientKeyAdmission },
  ],
  exports: [CLIENT_KEY_LOOKUP, REQUEST_ADMISSION],
})
export class ClientKeyLookupModule {}
