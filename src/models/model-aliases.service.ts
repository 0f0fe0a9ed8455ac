import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { modelsConfig } from '../config/configuration';
import type { GeminiModel } from './model-catalogue';
import { resolveModelAlias, withAliasEntries } from './model-aliases';

/** `MODEL_ALIASES` as every dialect applies it, before the pool sees a model name. */
@Injectable()
export class ModelAliasesService {
  constructor(@Inject(modelsConfig.KEY) private readonly config: ConfigType<typeof modelsConfig>) {}

  /** The Gemini model a requested name stands for (the name itself when no alias applies). */
  resolve(model: string): string {
    return resolveModelAlias(this.config.aliases, model);
  }

  /** A model list with the exact aliases added, for the model routes. */
  withAliases(models: readonly GeminiModel[]): GeminiModel[] {
    return withAliasEntries(models, this.config.aliases);
  }
}
