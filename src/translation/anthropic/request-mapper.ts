import { ApiError } from '../../errors/api-error';
import type { GeminiContent, GeminiPart, GeminiRequest } from '../../upstream/gemini-types';
import type { FetchMedia } from '../common/content-parts';
import type { RequestRules } from '../common/request-rules';
import { DEFAULT_SAFETY_SETTINGS } from '../common/google-extras';
import { parseModelName } from '../../models/model-names';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import type { AnthropicMessagesRequest } from './anthropic-types';
import { contentBlockParts, mediaBlockParts } from './content-blocks';
import { toGenerationConfig } from './generation-options';
import { fromAnthropicSignature } from './thought-signature';
import { toGeminiTools } from './tools';
import { isRecord } from '../../json/is-record';

export interface AnthropicRequestDeps {
  /** The request's limits: every media fetch and tool schema goes through them. */
  rules: RequestRules;
  signatures: ThoughtSignatureStore;
}

export interface MappedMessagesRequest {
  /** The base model name to send upstream (no `models/`, no variant suffix). */
  model: string;
  request: GeminiRequest;
  /** `disable_parallel_tool_use`: keep only the first function call of the answer. */
  singleToolCall: boolean;
}

/** Google's documented placeholder for a function call whose thought signature is unknown. */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** Claude Code's first system block is billing metadata for Anthropic, not a prompt. */
const BILLING_HEADER = 'x-anthropic-billing-header:';

/** Blocks with no Gemini counterpart that carry nothing the model needs again. */
const IGNORED_BLOCKS = new Set([
  'redacted_thinking',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'container_upload',
]);

/** Thought signatures are validated from Gemini 3 on. */
function validatesSignatures(base: string): boolean {
  const major = /^gemini-(\d+)/.exec(base)?.[1];
  return major !== undefined && Number(major) >= 3;
}

/** `system` as a string or text blocks; `cache_control` and the billing block are dropped. */
function systemParts(system: unknown, at: string): GeminiPart[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return system ? [{ text: system }] : [];
  if (!Array.isArray(system)) {
    throw ApiError.badRequest(`${at}: must be a string or a list of text blocks.`, at);
  }
  return system.flatMap((block: unknown, j): GeminiPart[] => {
    if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') {
      throw ApiError.badRequest(`${at}.${j}: must be a text block.`, `${at}.${j}`);
    }
    if (!block.text || block.text.startsWith(BILLING_HEADER)) return [];
    return [{ text: block.text }];
  });
}

interface Conversation {
  /** tool_use id → function name, for the results that answer them. */
  callNames: Map<string, string>;
  /** Deferred tools that a `tool_reference` has loaded. */
  loaded: Set<string>;
}

/** What the whole conversation says about tools, read before any turn is mapped. */
function survey(messages: unknown[]): Conversation {
  const conversation: Conversation = { callNames: new Map(), loaded: new Set() };
  const visit = (block: unknown) => {
    if (!isRecord(block)) return;
    if (
      block.type === 'tool_use' &&
      typeof block.id === 'string' &&
      typeof block.name === 'string'
    ) {
      conversation.callNames.set(block.id, block.name);
    } else if (block.type === 'tool_reference' && typeof block.tool_name === 'string') {
      conversation.loaded.add(block.tool_name);
    } else if (block.type === 'tool_result' && Array.isArray(block.content)) {
      block.content.forEach(visit);
    }
  };
  for (const msg of messages) {
    if (isRecord(msg) && Array.isArray(msg.content)) msg.content.forEach(visit);
  }
  return conversation;
}

function resultText(parts: GeminiPart[]): string {
  return parts
    .map((p) => p.text)
    .filter((t): t is string => typeof t === 'string')
    .join('\n');
}

/**
 * A user turn: tool results first (Gemini wants the function responses right after the model's
 * calls), then everything else. A result's images and documents follow its functionResponse as
 * inline data, which every Gemini model reads.
 */
async function userParts(
  content: unknown,
  at: string,
  conversation: Conversation,
  fetchMedia: FetchMedia,
): Promise<GeminiPart[]> {
  if (!Array.isArray(content)) return contentBlockParts(content, `${at}.content`, fetchMedia);
  type Mapped = { result?: GeminiPart; parts: GeminiPart[] };
  const mapped = await Promise.all(
    content.map(async (block: unknown, j): Promise<Mapped> => {
      const where = `${at}.content.${j}`;
      if (!isRecord(block)) throw ApiError.badRequest(`${where}: must be an object.`, where);
      if (IGNORED_BLOCKS.has(String(block.type))) return { parts: [] };
      if (block.type === 'thinking' || block.type === 'tool_use') return { parts: [] };
      if (block.type !== 'tool_result') {
        return { parts: await mediaBlockParts(block, where, fetchMedia) };
      }
      const id = block.tool_use_id;
      const name = typeof id === 'string' ? conversation.callNames.get(id) : undefined;
      if (!name) {
        throw ApiError.badRequest(
          `${where}.tool_use_id: ${JSON.stringify(id)} matches no tool_use block of an earlier assistant message.`,
          `${where}.tool_use_id`,
        );
      }
      const parts = await contentBlockParts(block.content, `${where}.content`, fetchMedia);
      const text = resultText(parts);
      const response = block.is_error === true ? { error: text } : { content: text };
      return {
        result: { functionResponse: { name, response } },
        parts: parts.filter((p) => p.inlineData),
      };
    }),
  );
  const results = mapped.flatMap((m) => (m.result ? [m.result] : []));
  const media = mapped.flatMap((m) => (m.result ? m.parts : []));
  const others = mapped.flatMap((m) => (m.result ? [] : m.parts));
  return [...results, ...media, ...others];
}

/**
 * An assistant turn. `thinking` blocks are not resent (Gemini keeps no thought text in history)
 * but their signature, when the proxy issued it, goes back on the part that follows, where Gemini
 * put it. A call whose signature the client dropped is found by its id in the store.
 */
function assistantParts(
  content: unknown,
  at: string,
  signatures: ThoughtSignatureStore,
): GeminiPart[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) {
    throw ApiError.badRequest(`${at}.content: must be a string or a list of content blocks.`, at);
  }
  const parts: GeminiPart[] = [];
  let pending: string | undefined;
  const push = (part: GeminiPart, signature: string | undefined) => {
    if (signature) part.thoughtSignature = signature;
    pending = undefined;
    parts.push(part);
  };
  content.forEach((block: unknown, j) => {
    const where = `${at}.content.${j}`;
    if (!isRecord(block)) throw ApiError.badRequest(`${where}: must be an object.`, where);
    switch (block.type) {
      case 'thinking':
        pending = fromAnthropicSignature(block.signature) ?? pending;
        return;
      case 'text':
        if (typeof block.text === 'string' && block.text) push({ text: block.text }, pending);
        return;
      case 'tool_use': {
        if (typeof block.name !== 'string' || block.name === '') {
          throw ApiError.badRequest(`${where}.name: Field required`, `${where}.name`);
        }
        const input = block.input ?? {};
        if (!isRecord(input)) {
          throw ApiError.badRequest(`${where}.input: must be an object.`, `${where}.input`);
        }
        const stored = typeof block.id === 'string' ? signatures.get(block.id) : undefined;
        push({ functionCall: { name: block.name, args: input } }, pending ?? stored);
        return;
      }
      default:
        if (IGNORED_BLOCKS.has(String(block.type))) return;
        throw ApiError.badRequest(
          `${where}.type: ${JSON.stringify(block.type)} is not supported in an assistant message.`,
          `${where}.type`,
        );
    }
  });
  return parts;
}

/**
 * An Anthropic Messages request → the Gemini request body and the upstream model name. The model
 * name given is the one after MODEL_ALIASES. `role: "system"` messages (Claude Code sends them
 * mid-conversation) join the system instruction, in order.
 */
export async function toGeminiRequest(
  req: AnthropicMessagesRequest,
  deps: AnthropicRequestDeps,
): Promise<MappedMessagesRequest> {
  const model = typeof req.model === 'string' ? parseModelName(req.model) : undefined;
  if (!model?.base) throw ApiError.badRequest('model: Field required', 'model');
  const messages = req.messages;
  if (!Array.isArray(messages)) {
    throw ApiError.badRequest('messages: Field required', 'messages');
  }
  const conversation = survey(messages);
  const system = systemParts(req.system, 'system');
  const turns = await Promise.all(
    messages.map(async (msg: unknown, i): Promise<{ role: string; parts: GeminiPart[] }> => {
      const at = `messages.${i}`;
      if (!isRecord(msg)) throw ApiError.badRequest(`${at}: must be an object.`, at);
      switch (msg.role) {
        case 'user':
          return {
            role: 'user',
            parts: await userParts(msg.content, at, conversation, deps.rules.fetchMedia),
          };
        case 'assistant':
          return { role: 'model', parts: assistantParts(msg.content, at, deps.signatures) };
        case 'system':
          return { role: 'system', parts: systemParts(msg.content, `${at}.content`) };
        default:
          throw ApiError.badRequest(`${at}.role: must be user, assistant or system.`, `${at}.role`);
      }
    }),
  );

  // Gemini wants alternating turns and no empty ones: neighbours of one role are merged.
  const contents: GeminiContent[] = [];
  for (const turn of turns) {
    if (turn.role === 'system') {
      system.push(...turn.parts);
      continue;
    }
    if (turn.parts.length === 0) continue;
    const last = contents[contents.length - 1];
    if (last?.role === turn.role) last.parts.push(...turn.parts);
    else contents.push({ role: turn.role, parts: [...turn.parts] });
  }
  if (validatesSignatures(model.base)) {
    // Gemini 3 validates the first function call of each model turn; without the real
    // signature, Google's placeholder keeps the request valid.
    for (const content of contents) {
      const call = content.role === 'model' && content.parts.find((p) => p.functionCall);
      if (call && !call.thoughtSignature) call.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
    }
  }

  const request: GeminiRequest = { contents };
  if (contents.length === 0) {
    if (system.length === 0) throw ApiError.badRequest('messages: contain no content.', 'messages');
    request.contents = [{ role: 'user', parts: system }];
  } else if (system.length > 0) {
    request.systemInstruction = { parts: system };
  }
  const { singleToolCall, ...tools } = toGeminiTools(req.tools, req.tool_choice, {
    search: model.search,
    loaded: conversation.loaded,
    rules: deps.rules,
  });
  Object.assign(request, tools);
  const generationConfig = toGenerationConfig(req, model);
  if (generationConfig) request.generationConfig = generationConfig;
  request.safetySettings = DEFAULT_SAFETY_SETTINGS.map((s) => ({ ...s }));
  return { model: model.base, request, singleToolCall };
}
