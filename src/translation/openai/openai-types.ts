import type { ReasoningEffort } from '../../models/model-names';
import type { GoogleExtras } from '../common/google-extras';
/**
 * The parts of OpenAI's Chat Completions, Embeddings and Models wire format that the proxy reads
 * or writes. Requests arrive as parsed JSON, so every field a client may omit is optional.
 */

// ---------- chat completion request ----------

export interface TextContentPart {
  type: 'text';
  text: string;
}

export interface ImageUrlContentPart {
  type: 'image_url';
  /** The string form is what some older clients send. */
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' } | string;
}

export interface InputAudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: string };
}

export interface FileContentPart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
}

export interface RefusalContentPart {
  type: 'refusal';
  refusal: string;
}

export type ContentPart =
  | TextContentPart
  | ImageUrlContentPart
  | InputAudioContentPart
  | FileContentPart
  | RefusalContentPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Google's own OpenAI endpoint carries Gemini 3 signatures here; clients built for it echo it back. */
  extra_content?: { google?: { thought_signature?: string } };
}

export interface SystemMessage {
  role: 'system' | 'developer';
  content: string | TextContentPart[];
  name?: string;
}

export interface UserMessage {
  role: 'user';
  content: string | ContentPart[] | null;
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content?: string | ContentPart[] | null;
  tool_calls?: ToolCall[];
  refusal?: string | null;
  reasoning_content?: string | null;
  name?: string;
}

export interface ToolMessage {
  role: 'tool';
  content: string | TextContentPart[] | null;
  tool_call_id: string;
  /** Not in OpenAI's schema, but some clients send the function name along. */
  name?: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

export interface FunctionTool {
  type: 'function';
  function: FunctionDefinition;
}

export interface NamedFunction {
  type: 'function';
  function: { name: string };
}

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | NamedFunction
  | { type: 'allowed_tools'; allowed_tools: { mode: 'auto' | 'required'; tools: NamedFunction[] } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        name?: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

export type { ReasoningEffort } from '../../models/model-names';

export interface OpenAIChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  response_format?: ResponseFormat;
  reasoning_effort?: ReasoningEffort | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  web_search_options?: Record<string, unknown>;
  user?: string;
  google?: GoogleExtras;
  /** Clients that post raw JSON sometimes nest it as the SDK parameter name. */
  extra_body?: { google?: GoogleExtras };
}

// ---------- chat completion response ----------

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal: null;
  reasoning_content?: string;
  tool_calls?: ToolCall[];
  /** Images an image model made, as data URLs (LiteLLM's and OpenRouter's field). */
  images?: ChatCompletionImage[];
}

export interface ChatCompletionImage {
  type: 'image_url';
  image_url: { url: string };
}

export interface ChatCompletionChoice {
  index: number;
  message: ChatCompletionMessage;
  logprobs: null;
  finish_reason: FinishReason;
}

export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: ChatCompletionUsage;
}

/** Each call arrives whole in one delta: Gemini does not stream a call's arguments. */
export interface ToolCallDelta extends ToolCall {
  index: number;
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  tool_calls?: ToolCallDelta[];
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  logprobs: null;
  finish_reason: FinishReason | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChunkChoice[];
  /** With `stream_options.include_usage`, null on every chunk but the last, as OpenAI does. */
  usage?: ChatCompletionUsage | null;
}

// ---------- embeddings ----------

export interface OpenAIEmbeddingsRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
  user?: string;
  google?: GoogleExtras;
  extra_body?: { google?: GoogleExtras };
}

export interface OpenAIEmbedding {
  object: 'embedding';
  index: number;
  /** A base64 string of little-endian float32 values when `encoding_format` is `base64`. */
  embedding: number[] | string;
}

export interface OpenAIEmbeddingsResponse {
  object: 'list';
  data: OpenAIEmbedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

// ---------- models ----------

export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface OpenAIModelList {
  object: 'list';
  data: OpenAIModel[];
}
