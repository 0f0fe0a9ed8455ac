import { bareName, CREATED, GeminiModel } from '../../models/model-catalogue';
import type { OpenAIModel, OpenAIModelList } from './openai-types';

/** A catalogue entry as OpenAI's `GET /v1/models` shows it: the bare name, owned by Google. */
export function toOpenAIModel(m: GeminiModel): OpenAIModel {
  return { id: bareName(m), object: 'model', created: CREATED, owned_by: 'google' };
}

export function toOpenAIModelList(models: readonly GeminiModel[]): OpenAIModelList {
  return { object: 'list', data: models.map(toOpenAIModel) };
}
