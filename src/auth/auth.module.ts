import { Logger, Module, OnModuleInit, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { authConfig } from '../config/configuration';
import { PasswordGuard } from './auth.guard';

@Module({
  providers: [{ provide: APP_GUARD, useClass: PasswordGuard }],
})
export class AuthModule implements OnModuleInit {
  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  onModuleInit(): void {
    if (this.config.isDefaultPassword) {
      new Logger('Auth').warn(
        '!!! GEMINI_AUTH_PASSWORD is still the default "a-secure-password". Anyone who can reach ' +
          'this server can spend your Google quota. Set GEMINI_AUTH_PASSWORD in .env before exposing it. !!!',
      );
    }
  }
}
