import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../../config/configuration';
import { UpstreamHttp } from '../upstream-http';
import { UpstreamHttpModule } from '../upstream-http.module';
import { CodeAssistClient } from './code-assist-client';

/**
 * The Code Assist client alone, without the credential pool: the `--gen-creds` app imports it to
 * onboard the accounts it logs in.
 */
@Module({
  imports: [UpstreamHttpModule],
  providers: [
    {
      provide: CodeAssistClient,
      inject: [UpstreamHttp, upstreamConfig.KEY],
      useFactory: (http: UpstreamHttp, cfg: ConfigType<typeof upstreamConfig>) =>
        new CodeAssistClient(http, { endpoint: cfg.codeAssistEndpoint, timeoutMs: cfg.timeoutMs }),
    },
  ],
  exports: [CodeAssistClient],
})
export class CodeAssistClientModule {}
