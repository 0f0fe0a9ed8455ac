import { Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module';
import { ModelsModule } from '../models/models.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { GeminiController, GeminiV1Controller } from './gemini.controller';
import { GeminiService } from './gemini.service';

@Module({
  imports: [UpstreamModule, ModelsModule, FilesModule],
  controllers: [GeminiController, GeminiV1Controller],
  providers: [GeminiService],
  exports: [GeminiService],
})
export class GeminiModule {}
