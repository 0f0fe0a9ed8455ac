import { ApiError } from '../../errors/api-error';
import type { GeminiContent, GeminiPart, GeminiRequest } from '../../upstream/gemini-types';
import { toGeminiParts, toTextParts } from '../common/content-parts';
import { DEFAULT_SAFETY_SETTINGS } from '../common/google-extras';
import { parseModelName } from '../../models/model-names';
import type { RequestRules } from '../common/request-rules';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import { toResponsesGenerationConfig } from './generation-options';
import { outputParts, sharedContent } from './input-parts';
import type { ReasoningSeal } from './reasoning-seal';
import type { InputItem, ResponseCreateRequest } from './responses-types';
import { ClientTool, geminiToolName, toGeminiResponsesTools } from './responses-tools';
import { isRecord } from '../../json/is-record';

export interface ResponsesRequestDeps {
  /** The request's limits: every media fetch and tool schema goes through them. */
  rules: RequestRules;
  signatures: ThoughtSignatureStore;
  seal: ReasoningSeal;
}

export interface MappedResponsesRequest {
  /** The base model name to send upstream. */
  model: string;
  request: GeminiRequest;
  /** Gemini function name → the client's tool, for the way back. */
  tools: Map<string, ClientTool>;
  /** Tool types left out of the upstream request. */
  leftOutTools: string[];
}

/** Google's documented placeholder for a function call whose thought signature is unknown. */
const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** Thought signatures are validated from Gemini 3 on. */
function validatesSignatures(base: string): boolean {
  const major = /^gemini-(\d+)/.exec(base)?.[1];
  return major !== undefined && Number(major) >= 3;
}

interface Conversation {
  system: GeminiPart[];
  contents: GeminiContent[];
}

/** Signatures sealed into `reasoning.encrypted_content` by this proxy, for this model only. */
function sealedSignatures(items: InputItem[], base: string, deps: ResponsesRequestDeps) {
  const found = new Map<string, string>();
  for (const item of items) {
    if (item.type !== 'reasoning') continue;
    const sealed = deps.seal.open(item.encrypted_content);
    if (!sealed || sealed.model !== base) continue;
    for (const [callId, sig] of Object.entries(sealed.signatures)) found.set(callId, sig);
  }
  return found;
}

async function mapItems(
  items: InputItem[],
  stored: number,
  base: string,
  deps: ResponsesRequestDeps,
): Promise<Conversation> {
  // The media of stored turns were fetched when those turns were asked.
  const fetchFor = (i: number) =>
    i < stored ? deps.rules.fetchStoredMedia : deps.rules.fetchMedia;
  const sealed = sealedSignatures(items, base, deps);
  const callNames = new Map<string, string>();
  for (const item of items) {
    if (
      (item.type === 'function_call' || item.type === 'custom_tool_call') &&
      typeof item.call_id === 'string' &&
      typeof item.name === 'string'
    ) {
      const namespace = typeof item.namespace === 'string' ? item.namespace : undefined;
      callNames.set(item.call_id, geminiToolName(item.name, namespace));
    }
  }
  // Remote media of every message is fetched at once; the turns are then built in order.
  const messageParts = await Promise.all(
    items.map((item, i) =>
      item.type === 'message' && (item.role === 'user' || item.role === 'assistant')
        ? toGeminiParts(sharedContent(item.content, `input[${i}]`), `input[${i}]`, fetchFor(i))
        : Promise.resolve([]),
    ),
  );
  const validates = validatesSignatures(base);
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  let lastWasCall = false;
  // Gemini wants alternating turns and no empty ones: neighbours of one role are merged.
  const append = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  const appendCall = (callId: unknown, name: string, args: Record<string, unknown>) => {
    const part: GeminiPart = { functionCall: { name, args } };
    const id = typeof callId === 'string' ? callId : '';
    const signature = (id && (sealed.get(id) ?? deps.signatures.get(id))) || undefined;
    if (signature) part.thoughtSignature = signature;
    // Gemini 3 validates the signature on the first call of each step; without the real one,
    // Google's documented placeholder keeps the request valid.
    else if (validates && !lastWasCall) part.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
    append('model', [part]);
    lastWasCall = true;
  };
  const resultName = (item: InputItem, at: string): string => {
    const id = typeof item.call_id === 'string' ? item.call_id : undefined;
    const name = (id && callNames.get(id)) || (typeof item.name === 'string' && item.name);
    if (!name) {
      throw ApiError.badRequest(
        `${at}.call_id ${JSON.stringify(id)} matches no function_call or custom_tool_call in the conversation.`,
        `${at}.call_id`,
      );
    }
    return name;
  };
  const resultTurns: { index: number; media: Promise<GeminiPart[]> }[] = [];

  items.forEach((item, i) => {
    const at = `input[${i}]`;
    switch (String(item.type)) {
      case 'message':
        switch (item.role) {
          case 'system':
          case 'developer':
            system.push(...toTextParts(sharedContent(item.content, at), at));
            return;
          case 'user':
            append('user', messageParts[i]);
            lastWasCall = false;
            return;
          case 'assistant':
            append('model', messageParts[i]);
            if (messageParts[i].length > 0) lastWasCall = false;
            return;
          default:
            throw ApiError.badRequest(
              `${at}.role ${JSON.stringify(item.role)} is not supported; use user, assistant, system or developer.`,
              `${at}.role`,
            );
        }
      case 'function_call': {
        if (typeof item.name !== 'string' || !item.name) {
          throw ApiError.badRequest(`${at}.name is required.`, `${at}.name`);
        }
        const namespace = typeof item.namespace === 'string' ? item.namespace : undefined;
        appendCall(
          item.call_id,
          geminiToolName(item.name, namespace),
          deps.rules.toolArguments(item.arguments, `${at}.arguments`),
        );
        return;
      }
      case 'custom_tool_call': {
        if (typeof item.name !== 'string' || !item.name) {
          throw ApiError.badRequest(`${at}.name is required.`, `${at}.name`);
        }
        const namespace = typeof item.namespace === 'string' ? item.namespace : undefined;
        appendCall(item.call_id, geminiToolName(item.name, namespace), {
          input: typeof item.input === 'string' ? item.input : '',
        });
        return;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const { text, media } = outputParts(item.output, at, fetchFor(i));
        append('user', [
          { functionResponse: { name: resultName(item, at), response: { output: text } } },
        ]);
        resultTurns.push({ index: contents.length - 1, media });
        lastWasCall = false;
        return;
      }
      case 'reasoning':
        // Not replayed: Gemini takes thoughts back only as the signatures sealed inside.
        return;
      case 'local_shell_call': {
        const action = isRecord(item.action) ? item.action : {};
        appendCall(item.call_id, 'local_shell', { ...action });
        return;
      }
      case 'local_shell_call_output':
        append('user', [
          {
            functionResponse: {
              name: 'local_shell',
              response: { output: typeof item.output === 'string' ? item.output : '' },
            },
          },
        ]);
        lastWasCall = false;
        return;
      default:
        throw ApiError.badRequest(
          `${at}.type ${JSON.stringify(item.type)} is not supported by this proxy.`,
          `${at}.type`,
        );
    }
  });
  // Images returned by tools follow their functionResponse in the same user turn.
  const fetched = await Promise.all(resultTurns.map((turn) => turn.media));
  resultTurns.forEach(({ index }, k) => contents[index].parts.push(...fetched[k]));
  return { system, contents };
}

/**
 * A Responses request, with the conversation before it, → the Gemini request. `items` is the
 * whole conversation; its first `stored` items come from stored turns (`previous_response_id`),
 * whose media are not fetched again when the proxy still holds them. Shared rules do the media,
 * schemas and generation config.
 */
export async function toGeminiResponsesRequest(
  req: ResponseCreateRequest,
  items: InputItem[],
  deps: ResponsesRequestDeps,
  stored = 0,
): Promise<MappedResponsesRequest> {
  const model = parseModelName(req.model);
  if (!model.base) throw ApiError.badRequest('model is required.', 'model');
  const { system, contents } = await mapItems(items, stored, model.base, deps);
  const instructions = typeof req.instructions === 'string' ? req.instructions : '';
  if (instructions) system.unshift({ text: instructions });
  if (contents.length === 0) {
    throw ApiError.badRequest('input contains no user content.', 'input');
  }
  const request: GeminiRequest = { contents };
  if (system.length > 0) request.systemInstruction = { parts: system };

  const tools = toGeminiResponsesTools(req.tools, req.tool_choice, model.search, deps.rules);
  if (tools.tools) request.tools = tools.tools;
  if (tools.toolConfig) request.toolConfig = tools.toolConfig;

  const generationConfig = toResponsesGenerationConfig(req, model);
  if (generationConfig) request.generationConfig = generationConfig;
  request.safetySettings = DEFAULT_SAFETY_SETTINGS.map((s) => ({ ...s }));
  return {
    model: model.base,
    request,
    tools: tools.byGeminiName,
    leftOutTools: tools.leftOut,
  };
}
