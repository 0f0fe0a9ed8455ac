import { Module } from '@nestjs/common';
import { ModelAliasesService } from './model-aliases.service';

@Module({
  providers: [ModelAliasesService],
  exports: [ModelAliasesService],
})
export class ModelsModule {}
