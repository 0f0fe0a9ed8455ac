import { Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { databaseConfig } from '../config/configuration';
import { Database } from './database';

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

async function openDatabase(config: ConfigType<typeof databaseConfig>): Promise<Database> {
  const logger = new Logger('Database');
  const database = await Database.open({ url: config.url, sqliteFile: config.sqliteFile });
  logger.log(`Usage ledger in ${database.engine} at ${database.location}`);
  if (config.redisShared && database.engine === 'sqlite') {
    logger.warn(
      'REDIS_URL is set but DATABASE_URL is not: each replica keeps its own usage history in its own SQLite file. Set DATABASE_URL to a PostgreSQL database that every replica shares.',
    );
  }
  database.start();
  return database;
}

/** The SQLite file or PostgreSQL database the proxy keeps its records in (DESIGN §11). */
@Module({
  providers: [
    { provide: Database, inject: [databaseConfig.KEY], useFactory: openDatabase },
    DatabaseLifecycle,
  ],
  exports: [Database],
})
export class DatabaseModule {}
