import { ApiError } from '../../errors/api-error';
import type { GeminiContent, GeminiPart, GeminiRequest } from '../../upstream/gemini-types';
import { toGeminiParts, toTextParts } from '../common/content-parts';
import { toGenerationConfig } from './generation-config';
import { DEFAULT_SAFETY_SETTINGS, readGoogleExtras } from '../common/google-extras';
import { jsonDepthWithin } from '../common/json-depth';
import { parseModelName } from '../../models/model-names';
import type { OpenAIChatRequest } from './openai-types';
import type { RequestRules } from '../common/request-rules';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import { toGeminiTools } from './tool-mapping';
import { isRecord } from '../../json/is-record';

export interface RequestMapperDeps {
  /** The request's limits: every media fetch and tool schema goes through them. */
  rules: RequestRules;
  signatures: ThoughtSignatureStore;
}

export interface MappedChatRequest {
  /** The base model name to send upstream (no `models/`, no variant suffix). */
  model: string;
  request: GeminiRequest;
}

/** Google's documented placeholder for a function call whose thought signature is unknown. */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** Thought signatures are validated from Gemini 3 on. */
function validatesSignatures(base: string): boolean {
  const major = /^gemini-(\d+)/.exec(base)?.[1];
  return major !== undefined && Number(major) >= 3;
}

interface MessageState {
  rules: RequestRules;
  callNames: Map<string, string>;
  signatures: ThoughtSignatureStore;
  validatesSignatures: boolean;
}

function functionCallParts(calls: unknown, at: string, state: MessageState): GeminiPart[] {
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) {
    throw ApiError.badRequest(`${at}.tool_calls must be an array.`, `${at}.tool_calls`);
  }
  const parts = calls.map((call: unknown, j): GeminiPart => {
    const p = `${at}.tool_calls[${j}]`;
    const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
    if (typeof fn.name !== 'string' || fn.name.length === 0) {
      throw ApiError.badRequest(`${p}.function.name is required.`, `${p}.function.name`);
    }
    const part: GeminiPart = {
      functionCall: {
        name: fn.name,
        args: state.rules.toolArguments(fn.arguments, `${p}.function.arguments`),
      },
    };
    const id = isRecord(call) && typeof call.id === 'string' ? call.id : undefined;
    if (id) state.callNames.set(id, fn.name);
    const google =
      isRecord(call) && isRecord(call.extra_content) ? call.extra_content.google : undefined;
    const echoed = isRecord(google) ? google.thought_signature : undefined;
    const signature =
      (id && state.signatures.get(id)) || (typeof echoed === 'string' ? echoed : '');
    if (signature) part.thoughtSignature = signature;
    return part;
  });
  // Gemini 3 validates the signature on the first function call of each step; without the real
  // one, Google's placeholder keeps the request valid (other calls of the step carry none).
  if (state.validatesSignatures && parts.length > 0 && !parts[0].thoughtSignature) {
    parts[0].thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
  return parts;
}

function toolText(content: unknown, at: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) => (isRecord(p) && typeof p.text === 'string' ? p.text : ''))
      .join('');
  }
  throw ApiError.badRequest(
    `${at}.content must be a string or an array of text parts.`,
    `${at}.content`,
  );
}

function functionResponsePart(
  msg: Record<string, unknown>,
  at: string,
  state: MessageState,
): GeminiPart {
  const id = msg.tool_call_id;
  // Gemini matches a result to its call by function name; clients only send the call id.
  const name =
    (typeof id === 'string' && state.callNames.get(id)) ||
    (typeof msg.name === 'string' && msg.name);
  if (!name) {
    throw ApiError.badRequest(
      `${at}.tool_call_id ${JSON.stringify(id)} matches no tool call of an earlier assistant message.`,
      `${at}.tool_call_id`,
    );
  }
  const text = toolText(msg.content, at);
  let response: Record<string, unknown> = { content: text };
  try {
    // Text too deeply nested to send as a structure is still a result the model can read.
    const parsed: unknown = jsonDepthWithin(text) ? JSON.parse(text) : undefined;
    if (isRecord(parsed)) response = parsed;
  } catch {
    // Plain-text results stay under `content`.
  }
  return { functionResponse: { name, response } };
}

async function mapMessages(
  messages: unknown[],
  base: string,
  deps: RequestMapperDeps,
): Promise<{ system: GeminiPart[]; contents: GeminiContent[] }> {
  const state: MessageState = {
    rules: deps.rules,
    callNames: new Map(),
    signatures: deps.signatures,
    validatesSignatures: validatesSignatures(base),
  };
  // Remote media of every message is fetched at once; the turns are then built in order.
  const contentParts = await Promise.all(
    messages.map((msg, i) =>
      isRecord(msg) && (msg.role === 'user' || msg.role === 'assistant')
        ? toGeminiParts(msg.content, `messages[${i}]`, deps.rules.fetchMedia)
        : Promise.resolve([]),
    ),
  );
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  // Gemini wants alternating turns and no empty ones: neighbours of one role are merged, and a
  // message that maps to no part (empty assistant content) leaves no turn behind.
  const append = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((msg, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(msg)) throw ApiError.badRequest(`${at} must be an object.`, at);
    switch (msg.role) {
      case 'system':
      case 'developer':
        system.push(...toTextParts(msg.content, at));
        return;
      case 'user':
        append('user', contentParts[i]);
        return;
      case 'assistant':
        append('model', [...contentParts[i], ...functionCallParts(msg.tool_calls, at, state)]);
        return;
      case 'tool':
        append('user', [functionResponsePart(msg, at, state)]);
        return;
      default:
        throw ApiError.badRequest(
          `${at}.role ${JSON.stringify(msg.role)} is not supported; use system, developer, user, assistant or tool.`,
          `${at}.role`,
        );
    }
  });
  return { system, contents };
}

/** An OpenAI chat-completion request → the Gemini request body and the upstream model name. */
export async function toGeminiRequest(
  req: OpenAIChatRequest,
  deps: RequestMapperDeps,
): Promise<MappedChatRequest> {
  if (!isRecord(req)) throw ApiError.badRequest('The request body must be a JSON object.');
  const model = typeof req.model === 'string' ? parseModelName(req.model) : undefined;
  if (!model?.base) throw ApiError.badRequest('model is required.', 'model');
  if (!Array.isArray(req.messages) || req.messages.length === 0) {
    throw ApiError.badRequest('messages must be a non-empty array.', 'messages');
  }

  const google = readGoogleExtras(req);
  const { system, contents } = await mapMessages(req.messages, model.base, deps);
  const request: GeminiRequest = { contents };
  if (contents.length === 0) {
    // Gemini rejects a request without contents, while OpenAI accepts a system-only prompt.
    if (system.length === 0) throw ApiError.badRequest('messages contain no content.', 'messages');
    request.contents = [{ role: 'user', parts: system }];
  } else if (system.length > 0) {
    request.systemInstruction = { parts: system };
  }

  Object.assign(request, toGeminiTools(req, model.search, deps.rules));
  const generationConfig = toGenerationConfig(req, model, google);
  if (generationConfig) request.generationConfig = generationConfig;
  request.safetySettings = google.safetySettings ?? DEFAULT_SAFETY_SETTINGS.map((s) => ({ ...s }));
  if (google.cachedContent) request.cachedContent = google.cachedContent;
  return { model: model.base, request };
}
