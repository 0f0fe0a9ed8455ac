import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AppConfigModule } from '../config/config.module';
import { credentialsConfig, EnvSource, oauthConfig, upstreamConfig } from '../config/configuration';
import { CredentialFileStore } from '../credentials/credential-file-store';
import { CodeAssistClient } from '../upstream/code-assist-client';
import { UpstreamHttp } from '../upstream/upstream-http';
import { GeneratorErrorFilter } from './generator-error.filter';
import { GeneratorController } from './generator.controller';
import { GeneratorService, ONBOARDING_POLLING, OnboardingPolling } from './generator.service';
import { GoogleLogin } from './google-login';
import { LoginStateStore } from './login-state-store';

/**
 * The root module of the `--gen-creds` app: only the login pages and what they need. It builds
 * its own Code Assist client and file store rather than importing the proxy's modules, which
 * would load and watch the credential pool the generator has no use for.
 */
@Module({})
export class GeneratorModule implements OnApplicationShutdown {
  constructor(private readonly http: UpstreamHttp) {}

  /** `env` replaces `.env` and the environment as the source of configuration (tests). */
  static register(env?: EnvSource): DynamicModule {
    return {
      module: GeneratorModule,
      imports: [AppConfigModule.register(env)],
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
          inject: [oauthConfig.KEY],
          useFactory: (cfg: ConfigType<typeof oauthConfig>) => new GoogleLogin(cfg),
        },
        {
          provide: CredentialFileStore,
          inject: [credentialsConfig.KEY],
          useFactory: (cfg: ConfigType<typeof credentialsConfig>) =>
            new CredentialFileStore(cfg.storagePath),
        },
        { provide: UpstreamHttp, useFactory: () => new UpstreamHttp() },
        {
          provide: CodeAssistClient,
          inject: [UpstreamHttp, upstreamConfig.KEY],
          useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
            new CodeAssistClient(http, {
              endpoint: cfg.codeAssistEndpoint,
              timeoutMs: cfg.timeoutMs,
            }),
        },
        GeneratorService,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
