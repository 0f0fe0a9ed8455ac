import { Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { debugConfig, upstreamConfig } from '../config/configuration';
import { CredentialsModule } from '../credentials/credentials.module';
import { CodeAssistClient } from './code-assist-client';
import { DebugLog } from './debug-log';
import { UpstreamDispatcher } from './dispatcher';
import { GeminiApiClient } from './gemini-api-client';
import { ModelListService } from './model-list.service';
import { UpstreamEvents } from './upstream-events';
import { UpstreamHttp } from './upstream-http';
import { VertexClient } from './vertex/vertex-client';

@Module({
  imports: [CredentialsModule],
  providers: [
    { provide: UpstreamHttp, useFactory: () => new UpstreamHttp() },
    {
      provide: CodeAssistClient,
      inject: [UpstreamHttp, upstreamConfig.KEY],
      useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
        new CodeAssistClient(http, { endpoint: cfg.codeAssistEndpoint, timeoutMs: cfg.timeoutMs }),
    },
    {
      provide: GeminiApiClient,
      inject: [UpstreamHttp, upstreamConfig.KEY],
      useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
        new GeminiApiClient(http, { endpoint: cfg.geminiApiEndpoint, timeoutMs: cfg.timeoutMs }),
    },
    {
      provide: VertexClient,
      inject: [UpstreamHttp, upstreamConfig.KEY],
      useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
        new VertexClient(http, { endpoint: cfg.vertexEndpoint, timeoutMs: cfg.timeoutMs }),
    },
    {
      provide: DebugLog,
      inject: [debugConfig.KEY],
      useFactory: (cfg: ConfigType<typeof debugConfig>) => new DebugLog(cfg.enabled, cfg.redact),
    },
    { provide: UpstreamEvents, useFactory: () => new UpstreamEvents() },
    UpstreamDispatcher,
    ModelListService,
  ],
  exports: [
    UpstreamDispatcher,
    ModelListService,
    UpstreamEvents,
    GeminiApiClient,
    CodeAssistClient,
    DebugLog,
    CredentialsModule,
  ],
})
export class UpstreamModule implements OnApplicationShutdown {
  constructor(private readonly http: UpstreamHttp) {}

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
