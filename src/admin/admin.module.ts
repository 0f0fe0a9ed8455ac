import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [CredentialsModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
