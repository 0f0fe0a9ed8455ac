import { DynamicModule, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AppConfigModule } from '../config/config.module';
import { credentialsConfig, EnvSource, oauthConfig } from '../config/configuration';
import { CredentialFileStore } from '../credentials/credential-file-store';
import { CodeAssistClientModule } from '../upstream/code-assist/code-assist-client.module';
import { GeneratorErrorFilter } from './generator-error.filter';
import { GeneratorController } from './generator.controller';
import { GeneratorService, ONBOARDING_POLLING, OnboardingPolling } from './generator.service';
import { GoogleLogin } from './google-login';
import { LoginStateStore } from './login-state-store';
import { RouteOut } from '../route-out/route-out';
import { RouteOutModule } from '../route-out/route-out.module';

/**
 * The root module of the `--gen-creds` app: only the login pages and what they need. It imports
 * the Code Assist client alone and builds its own file store rather than importing the proxy's
 * credentials module, which would load and watch the pool the generator has no use for.
 */
@Module({})
export class GeneratorModule {
  /** `env` replaces `.env` and the environment as the source of configuration (tests). */
  static register(env?: EnvSource): DynamicModule {
    return {
      module: GeneratorModule,
      imports: [AppConfigModule.register(env), CodeAssistClientModule, RouteOutModule],
      controllers: [GeneratorController],
      providers: [
        // The whole app is the generator, so its error page may answer every route.
        { provide: APP_FILTER, useClass: GeneratorErrorFilter },
        {
          provide: ONBOARDING_POLLING,
          useValue: { pollIntervalMs: 5000, maxPolls: 24 } satisfies OnboardingPolling,
        },
        { provide: LoginStateStore, useFactory: () => new LoginStateStore() },
        {
          provide: GoogleLogin,
          inject: [oauthConfig.KEY, RouteOut],
          useFactory: (cfg: ConfigType<typeof oauthConfig>, routeOut: RouteOut) =>
            new GoogleLogin(cfg, routeOut.fetch()),
        },
        {
          provide: CredentialFileStore,
          inject: [credentialsConfig.KEY],
          useFactory: (cfg: ConfigType<typeof credentialsConfig>) =>
            new CredentialFileStore(cfg.storagePath),
        },
        GeneratorService,
      ],
    };
  }
}
