import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { debugConfig } from '../config/configuration';
import { CredentialsModule } from '../credentials/credentials.module';
import { CodeAssistBackend } from './code-assist/code-assist-backend';
import { CodeAssistModule } from './code-assist/code-assist.module';
import { DebugLog } from './debug-log';
import { UpstreamDispatcher } from './dispatcher';
import { FailurePolicy } from './failure-policy';
import { GeminiApiClient } from './gemini-api/gemini-api-client';
import { GeminiApiModule } from './gemini-api/gemini-api.module';
import { UpstreamBackend } from './upstream-backend';
import { UpstreamBackends } from './upstream-backends';
import { UpstreamEvents } from './upstream-events';
import { VertexBackend } from './vertex/vertex-backend';
import { VertexModule } from './vertex/vertex.module';

/**
 * Every backend the dispatcher may use, one per credential kind: its module and the provider
 * that implements UpstreamBackend. Adding a kind (Vertex AI) is one folder and one line here.
 */
const BACKENDS = [
  { module: CodeAssistModule, backend: CodeAssistBackend },
  { module: GeminiApiModule, backend: GeminiApiClient },
  { module: VertexModule, backend: VertexBackend },
];

@Module({
  // RESOURCE_AFFINITY (bound in SharedStateModule): a request naming a file or cached content goes
  // to the credential owning it. CALL_QUOTA comes from the global QuotaModule.
  imports: [CredentialsModule, ...BACKENDS.map((b) => b.module)],
  providers: [
    {
      provide: UpstreamBackends,
      inject: BACKENDS.map((b) => b.backend),
      useFactory: (...backends: UpstreamBackend[]) => new UpstreamBackends(backends),
    },
    {
      provide: DebugLog,
      inject: [debugConfig.KEY],
      useFactory: (cfg: ConfigType<typeof debugConfig>) => new DebugLog(cfg.enabled, cfg.redact),
    },
    { provide: UpstreamEvents, useFactory: () => new UpstreamEvents() },
    FailurePolicy,
    UpstreamDispatcher,
  ],
  exports: [
    UpstreamDispatcher,
    UpstreamBackends,
    UpstreamEvents,
    DebugLog,
    FailurePolicy,
    CredentialsModule,
  ],
})
export class UpstreamModule {}
