import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type {
  ChatMessage,
  FunctionTool,
  GoogleExtras,
  OpenAIChatRequest,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
} from '../../translation/openai-types';
import { ByReference } from './by-reference';
import { findMessageProblem } from './chat-message-rules';
import { stopProblem, toolChoiceProblem } from './chat-option-rules';
import { FollowsRule } from './follows-rule.decorator';
import { modelNameRuleProblem } from './model-name-rule';

const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'] as const;
const REASONING_EFFORTS: readonly ReasoningEffort[] = [
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
];
/** Gemini's candidateCount limit. */
export const MAX_CHOICES = 8;

export class FunctionDefinitionDto {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsOptional()
  @IsString()
  description?: string;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown> | null;

  @IsOptional()
  @IsBoolean()
  strict?: boolean | null;
}

export class FunctionToolDto {
  @IsIn(['function'])
  type!: 'function';

  @IsObject()
  @ValidateNested()
  @Type(() => FunctionDefinitionDto)
  function!: FunctionDefinitionDto;
}

export class JsonSchemaFormatDto {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  description?: string;

  @IsOptional()
  @IsObject()
  schema?: Record<string, unknown>;

  @IsOptional()
  @IsBoolean()
  strict?: boolean | null;
}

export class ResponseFormatDto {
  @IsIn(RESPONSE_FORMATS)
  type!: (typeof RESPONSE_FORMATS)[number];

  @ValidateIf((format: ResponseFormatDto) => format.type === 'json_schema')
  @IsObject()
  @ValidateNested()
  @Type(() => JsonSchemaFormatDto)
  json_schema?: JsonSchemaFormatDto;
}

export class StreamOptionsDto {
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;
}

/**
 * `POST /v1/chat/completions`. Fields the proxy does not use (logprobs, metadata, store, …) are
 * accepted and ignored, as a drop-in for OpenAI must; messages are checked in place, not copied.
 */
export class ChatCompletionRequestDto implements OpenAIChatRequest {
  @IsString()
  @IsNotEmpty()
  @FollowsRule('modelName', modelNameRuleProblem)
  model!: string;

  @ByReference()
  @FollowsRule('chatMessages', findMessageProblem)
  messages!: ChatMessage[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FunctionToolDto)
  tools?: FunctionTool[];

  @FollowsRule('toolChoice', toolChoiceProblem)
  tool_choice?: ToolChoice;

  @IsOptional()
  @IsBoolean()
  parallel_tool_calls?: boolean;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number | null;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  top_p?: number | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  max_completion_tokens?: number | null;

  @FollowsRule('stop', stopProblem)
  stop?: string | string[] | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CHOICES, {
    message: `n must not be greater than ${MAX_CHOICES} (Gemini's candidateCount limit)`,
  })
  n?: number | null;

  @IsOptional()
  @IsInt()
  seed?: number | null;

  @IsOptional()
  @IsNumber()
  @Min(-2)
  @Max(2)
  presence_penalty?: number | null;

  @IsOptional()
  @IsNumber()
  @Min(-2)
  @Max(2)
  frequency_penalty?: number | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResponseFormatDto)
  response_format?: ResponseFormat;

  @IsOptional()
  @IsIn(REASONING_EFFORTS)
  reasoning_effort?: ReasoningEffort | null;

  @IsOptional()
  @IsBoolean()
  stream?: boolean | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: { include_usage?: boolean } | null;

  @IsOptional()
  @IsObject()
  web_search_options?: Record<string, unknown>;

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
