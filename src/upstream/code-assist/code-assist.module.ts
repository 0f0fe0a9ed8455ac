import { Module } from '@nestjs/common';
import { CredentialsModule } from '../../credentials/credentials.module';
import { CodeAssistBackend } from './code-assist-backend';
import { CodeAssistClientModule } from './code-assist-client.module';
import { CodeAssistSessions } from './code-assist-sessions';

/** The Code Assist backend for the proxy: the client plus the pool's token and project upkeep. */
@Module({
  imports: [CodeAssistClientModule, CredentialsModule],
  providers: [CodeAssistSessions, CodeAssistBackend],
  exports: [CodeAssistBackend],
})
export class CodeAssistModule {}
