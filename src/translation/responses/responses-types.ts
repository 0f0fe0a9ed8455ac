/**
 * The OpenAI Responses API as the proxy reads and writes it. Requests are read loosely (clients
 * send many fields the proxy only accepts); what goes out is typed exactly.
 */

export type ResponsesReasoningEffort =
  'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** `POST /v1/responses` after validation; unknown fields ride along and are ignored. */
export interface ResponseCreateRequest {
  model: string;
  input?: string | InputItem[];
  instructions?: string | null;
  tools?: Record<string, unknown>[] | null;
  tool_choice?: unknown;
  parallel_tool_calls?: boolean | null;
  text?: { format?: Record<string, unknown> | null; verbosity?: string | null } | null;
  reasoning?: {
    effort?: ResponsesReasoningEffort | null;
    summary?: string | null;
    /** The deprecated name of `summary`. */
    generate_summary?: string | null;
  } | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  previous_response_id?: string | null;
  store?: boolean | null;
  include?: string[] | null;
  stream?: boolean | null;
  metadata?: Record<string, string> | null;
  truncation?: string | null;
  service_tier?: string | null;
  user?: string;
  [key: string]: unknown;
}

/** One input item as a client sent it (messages, calls, outputs, reasoning…); read field by field. */
export type InputItem = Record<string, unknown> & { type?: string; id?: string };

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface MessageItem {
  type: 'message';
  id: string;
  status: ItemStatus;
  role: 'assistant';
  content: OutputText[];
}

export interface SummaryText {
  type: 'summary_text';
  text: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: SummaryText[];
  encrypted_content?: string | null;
  status?: ItemStatus;
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
  namespace?: string;
}

export interface CustomToolCallItem {
  type: 'custom_tool_call';
  id: string;
  call_id: string;
  name: string;
  input: string;
  status: ItemStatus;
  namespace?: string;
}

export type OutputItem = MessageItem | ReasoningItem | FunctionCallItem | CustomToolCallItem;

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseError {
  code: string;
  message: string;
}

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  background: false;
  error: ResponseError | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number;
  text: Record<string, unknown>;
  tool_choice: unknown;
  tools: unknown[];
  top_p: number;
  truncation: string;
  usage: ResponsesUsage | null;
  metadata: Record<string, string>;
  service_tier: string;
  user?: string;
}

/** One typed streaming event; `type` and `sequence_number` on every one (OpenAI's order and fields). */
export interface ResponseStreamEvent {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}
