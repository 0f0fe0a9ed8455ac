import { Logger, Module, OnModuleInit, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/configuration';
import { Clock } from '../time/clock';
import { TimeModule } from '../time/time.module';
import { AdminCookie } from './admin-cookie';
import { PasswordGuard } from './auth.guard';

/**
 * The password guard (run by the app's RequestGuard, before the body is read), and the `/admin`
 * sign-in cookie it accepts and the admin page issues.
 */
@Module({
  // The cookie's expiry follows the same clock as the pool (tests move it).
  imports: [TimeModule],
  providers: [
    PasswordGuard,
    {
      provide: AdminCookie,
      inject: [authConfig.KEY, Clock],
      useFactory: (auth: ConfigType<typeof authConfig>, clock: Clock) =>
        new AdminCookie(auth.password, clock),
    },
  ],
  exports: [AdminCookie, PasswordGuard],
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
