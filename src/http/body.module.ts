import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { serverConfig } from '../config/configuration';
import { BodyBudget } from './body-budget';
import { BODY_DEADLINES, BodyGuard, DEFAULT_BODY_DEADLINES } from './body.guard';

/**
 * Request bodies, read after the password check within BODY_LIMIT and BODY_BYTES_IN_FLIGHT.
 * Import it after AuthModule: global guards run in the order their modules are imported.
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
    { provide: APP_GUARD, useClass: BodyGuard },
  ],
})
export class BodyModule {}
