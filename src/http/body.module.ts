import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { serverConfig } from '../config/configuration';
import { BodyBudget } from './body-budget';
import { BODY_DEADLINES, BodyGuard, DEFAULT_BODY_DEADLINES } from './body.guard';

/**
 * Request bodies, read within BODY_LIMIT and BODY_BYTES_IN_FLIGHT by the guard the app runs after
 * the password check (RequestGuard).
 */
@Module({
  providers: [
    {
      provide: BodyBudget,
      inject: [serverConfig.KEY],
      useFactory: (server: ConfigType<typeof serverConfig>) =>
        new BodyBudget(server.bodyBytesInFlight),
    },
    { provide: BODY_DEADLINES, useValue: DEFAULT_BODY_DEADLINES },
    BodyGuard,
  ],
  exports: [BodyGuard],
})
export class BodyModule {}
