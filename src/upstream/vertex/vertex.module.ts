import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../../config/configuration';
import { CredentialsModule } from '../../credentials/credentials.module';
import { UpstreamHttp } from '../upstream-http';
import { UpstreamHttpModule } from '../upstream-http.module';
import { VertexBackend } from './vertex-backend';
import { VertexClient } from './vertex-client';

/** The Vertex AI backend: service accounts (with the pool's token grants) and express-mode keys. */
@Module({
  imports: [UpstreamHttpModule, CredentialsModule],
  providers: [
    {
      provide: VertexClient,
      inject: [UpstreamHttp, upstreamConfig.KEY],
      useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
        new VertexClient(http, { endpoint: cfg.vertexEndpoint, timeoutMs: cfg.timeoutMs }),
    },
    VertexBackend,
  ],
  exports: [VertexBackend],
})
export class VertexModule {}
