import { Module } from '@nestjs/common';
import { ClientKeysModule } from '../client-keys/client-keys.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { CredentialsPageController } from './credentials-page.controller';
import { RuntimeCredentialsController } from './runtime-credentials.controller';
import { RuntimeCredentialsService } from './runtime-credentials.service';

/** Credentials added, removed, disabled and enabled at run time (DESIGN §11). */
@Module({
  imports: [CredentialsModule, ClientKeysModule],
  controllers: [RuntimeCredentialsController, CredentialsPageController],
  providers: [RuntimeCredentialsService],
})
export class RuntimeCredentialsModule {}
