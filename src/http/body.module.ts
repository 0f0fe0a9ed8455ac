import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { serverConfig } from '../config/configuration';
import { BodyBudget } from './body-budget';
import { BODY_DEADLINES, BodyInterceptor, DEFAULT_BODY_DEADLINES } from './body.interceptor';

/** Request bodies, read after the password check within BODY_LIMIT and BODY_BYTES_IN_FLIGHT. */
@Module({
  providers: [
    {
      provide: BodyBudget,
      inject: [serverConfig.KEY],
      useFactory: (server: ConfigType<typeof serverConfig>) =>
        new BodyBudget(server.bodyBytesInFlight),
    },
    { provide: BODY_DEADLINES, useValue: DEFAULT_BODY_DEADLINES },
    { provide: APP_INTERCEPTOR, useClass: BodyInterceptor },
  ],
})
export class BodyModule {}
