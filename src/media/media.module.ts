import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { AudioController } from './audio.controller';
import { AudioService } from './audio.service';
import { ImagesController } from './images.controller';
import { ImagesService } from './images.service';

/** OpenAI's images and audio routes, over the same pool, failover and request log as chat. */
@Module({
  imports: [UpstreamModule, ModelsModule],
  controllers: [ImagesController, AudioController],
  providers: [ImagesService, AudioService],
})
export class MediaModule {}
