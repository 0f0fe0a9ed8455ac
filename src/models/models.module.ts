import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { ModelAliasesService } from './model-aliases.service';
import { ModelListService } from './model-list.service';
import { ServedModels } from './served-models';

/**
 * The models every dialect serves: the catalogue, Google's live lists, the proxy's variants and
 * MODEL_ALIASES, and the models Google actually ran. Above upstream (the live lists come from the backends), below the dialects.
 */
@Module({
  imports: [UpstreamModule],
  providers: [ModelAliasesService, ModelListService, ServedModels],
  exports: [ModelAliasesService, ModelListService, ServedModels],
})
export class ModelsModule {}
