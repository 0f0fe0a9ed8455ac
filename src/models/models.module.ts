import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { ModelAliasesService } from './model-aliases.service';
import { ModelListService } from './model-list.service';

/**
 * The models every dialect serves: the catalogue, Google's live lists, the proxy's variants and
 * MODEL_ALIASES. Above upstream (the live lists come from the backends), below the dialects.
 */
@Module({
  imports: [UpstreamModule],
  providers: [ModelAliasesService, ModelListService],
  exports: [ModelAliasesService, ModelListService],
})
export class ModelsModule {}
