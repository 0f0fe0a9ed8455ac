import { Module } from '@nestjs/common';
import { TimeModule } from '../time/time.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { BatchesController } from './batches.controller';
import { CachedContentsController } from './cached-contents.controller';
import { FilesController } from './files.controller';
import { InteractionsController } from './interactions.controller';
import { ResourceActions } from './resource-actions';
import { ResourceCaller } from './resource-caller';
import { ResourcesService } from './resources.service';
import { UploadController } from './upload.controller';
import { UploadsService } from './uploads.service';

/** Google's stateful resources: files, cached contents, batches and interactions, through the pool. */
@Module({
  imports: [UpstreamModule, TimeModule],
  controllers: [
    UploadController,
    FilesController,
    CachedContentsController,
    BatchesController,
    InteractionsController,
  ],
  providers: [ResourceCaller, ResourcesService, ResourceActions, UploadsService],
  /** `models/{model}:batchGenerateContent` shares the native model route (GeminiController). */
  exports: [ResourceActions],
})
export class FilesModule {}
