import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { GeminiController } from './gemini.controller';
import { GeminiService } from './gemini.service';

@Module({
  imports: [UpstreamModule],
  controllers: [GeminiController],
  providers: [GeminiService],
})
export class GeminiModule {}
