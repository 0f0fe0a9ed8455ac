import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Min } from 'class-validator';
import type { GoogleExtras, OpenAIEmbeddingsRequest } from '../../translation/openai-types';
import { ByReference } from './by-reference';
import { embeddingInputProblem } from './embedding-input-rule';
import { FollowsRule } from './follows-rule.decorator';
import { modelNameRuleProblem } from './model-name-rule';

/** `POST /v1/embeddings`; the openai SDK asks for base64 unless told otherwise. */
export class EmbeddingsRequestDto implements OpenAIEmbeddingsRequest {
  @IsString()
  @IsNotEmpty()
  @FollowsRule('modelName', modelNameRuleProblem)
  model!: string;

  @ByReference()
  @FollowsRule('embeddingInput', embeddingInputProblem)
  input!: string | string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  dimensions?: number;

  @IsOptional()
  @IsIn(['float', 'base64'])
  encoding_format?: 'float' | 'base64';

  @IsOptional()
  @IsString()
  user?: string;

  @IsOptional()
  @IsObject()
  google?: GoogleExtras;

  @IsOptional()
  @IsObject()
  extra_body?: { google?: GoogleExtras };
}
