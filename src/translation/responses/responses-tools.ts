import { createHash } from 'node:crypto';
import { ApiError } from '../../errors/api-error';
import type { GeminiRequest } from '../../upstream/gemini-types';
import type { RequestRules } from '../common/request-rules';
import { isRecord } from '../../json/is-record';

/** What a Gemini function name stands for in the client's terms. */
export interface ClientTool {
  kind: 'function' | 'custom';
  name: string;
  namespace?: string;
}

interface FunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface MappedTools extends Pick<GeminiRequest, 'tools' | 'toolConfig'> {
  /** Gemini function name → the client's tool, to turn calls back into the right item. */
  byGeminiName: Map<string, ClientTool>;
  /** Tool types left out because Gemini has no equivalent (for a once-per-type log line). */
  leftOut: string[];
}

const GEMINI_NAME_MAX = 64;

/**
 * The name Gemini sees for a client tool. Namespaced tools are flattened as `<namespace>.<name>`,
 * readable to the model and unambiguous on the way back. Gemini takes letters, digits, `_ . : -`
 * and at most 64 characters (else 400), so other characters become `_` and a longer name keeps
 * its start plus a hash of the whole; calls map back through the declared table, and replayed
 * history computes the same name.
 */
export function geminiToolName(name: string, namespace?: string): string {
  const full = namespace ? `${namespace}.${name}` : name;
  const safe = full.replace(/[^A-Za-z0-9_.:-]/g, '_').replace(/^(?=[^A-Za-z_])/, '_');
  if (safe === full && safe.length <= GEMINI_NAME_MAX) return full;
  if (safe.length <= GEMINI_NAME_MAX) return safe;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${safe.slice(0, GEMINI_NAME_MAX - 9)}_${hash}`;
}

/** Custom (free-form) tools take one string; the grammar, if any, tells the model its shape. */
function customDeclaration(tool: Record<string, unknown>, name: string): FunctionDeclaration {
  const format = isRecord(tool.format) ? tool.format : undefined;
  const grammar =
    format?.type === 'grammar' && typeof format.definition === 'string'
      ? `\n\nThe input must follow this ${typeof format.syntax === 'string' ? format.syntax : ''} grammar:\n${format.definition}`
      : '';
  const description = `${typeof tool.description === 'string' ? tool.description : ''}${grammar}`;
  return {
    name,
    ...(description.trim() ? { description: description.trim() } : {}),
    parameters: {
      type: 'object',
      properties: {
        input: { type: 'string', description: 'The raw free-form input of the tool.' },
      },
      required: ['input'],
    },
  };
}

function functionDeclaration(
  tool: Record<string, unknown>,
  name: string,
  at: string,
  rules: RequestRules,
): FunctionDeclaration {
  if (!name) throw ApiError.badRequest(`${at}.name is required.`, `${at}.name`);
  const declaration: FunctionDeclaration = { name };
  if (typeof tool.description === 'string' && tool.description) {
    declaration.description = tool.description;
  }
  const parameters = rules.toolSchema(tool.parameters, `${at}.parameters`);
  if (parameters) declaration.parameters = parameters;
  return declaration;
}

interface Collected {
  decls: FunctionDeclaration[];
  byGeminiName: Map<string, ClientTool>;
  leftOut: string[];
  search: boolean;
}

/** Distinct tool types reported per request: enough for any real agent, bounded for any body. */
const MAX_LEFT_OUT = 16;
const MAX_TYPE_CHARS = 64;

/**
 * A client-chosen tool type as it may be logged: control and line-separator characters would
 * forge log lines, and a type is a short word, so anything longer is cut.
 */
export function loggableToolType(type: unknown): string {
  if (typeof type !== 'string') return 'unknown';
  // eslint-disable-next-line no-control-regex
  const clean = type.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > MAX_TYPE_CHARS ? `${clean.slice(0, MAX_TYPE_CHARS)}…` : clean;
}

function collect(tools: unknown[], rules: RequestRules): Collected {
  const out: Collected = { decls: [], byGeminiName: new Map(), leftOut: [], search: false };
  const leaveOut = (label: string) => {
    if (out.leftOut.length < MAX_LEFT_OUT && !out.leftOut.includes(label)) out.leftOut.push(label);
  };
  const add = (tool: unknown, at: string, namespace?: string) => {
    if (!isRecord(tool)) throw ApiError.badRequest(`${at} must be an object.`, at);
    const name = typeof tool.name === 'string' ? tool.name : '';
    switch (tool.type) {
      case 'function':
      case 'custom': {
        const geminiName = geminiToolName(name, namespace);
        out.decls.push(
          tool.type === 'custom'
            ? customDeclaration(tool, geminiName)
            : functionDeclaration(tool, geminiName, at, rules),
        );
        out.byGeminiName.set(geminiName, {
          kind: tool.type,
          name,
          ...(namespace ? { namespace } : {}),
        });
        return;
      }
      case 'namespace':
        if (namespace || !Array.isArray(tool.tools)) {
          throw ApiError.badRequest(`${at}.tools must be an array of tools.`, `${at}.tools`);
        }
        tool.tools.forEach((inner: unknown, k) => add(inner, `${at}.tools[${k}]`, name));
        return;
      case 'web_search':
      case 'web_search_preview':
      case 'web_search_2025_08_26':
      case 'web_search_preview_2025_03_11':
        // Codex offers `external_web_access:false` (cached results only): never a live search.
        if (tool.external_web_access === false) leaveOut(`${tool.type} (cached only)`);
        else out.search = true;
        return;
      default:
        leaveOut(loggableToolType(tool.type));
    }
  };
  tools.forEach((tool, k) => add(tool, `tools[${k}]`));
  return out;
}

const HOSTED_CHOICES = new Set([
  'file_search',
  'web_search',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'computer_use_preview',
  'computer',
  'code_interpreter',
  'image_generation',
  'mcp',
  'shell',
  'apply_patch',
  'local_shell',
  'tool_search',
]);

function chosenName(choice: Record<string, unknown>, collected: Collected): string {
  const name = typeof choice.name === 'string' ? choice.name : '';
  const namespace = typeof choice.namespace === 'string' ? choice.namespace : undefined;
  const geminiName = geminiToolName(name, namespace);
  const tool = collected.byGeminiName.get(geminiName);
  if (!tool || tool.kind !== choice.type) {
    throw ApiError.badRequest(
      `tool_choice names ${choice.type as string} tool '${geminiName}', which is not in tools.`,
      'tool_choice',
    );
  }
  return geminiName;
}

/**
 * Responses `tool_choice` → Gemini functionCallingConfig. A choice that forces a tool Gemini
 * cannot serve is the one case where an unservable tool fails the request: the client asked for
 * a call it would otherwise silently not get.
 */
function functionCallingConfig(
  choice: unknown,
  collected: Collected,
): Record<string, unknown> | undefined {
  if (choice === undefined || choice === null || choice === 'auto') return undefined;
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (!isRecord(choice)) {
    throw ApiError.badRequest(
      'tool_choice must be none, auto, required or a tool choice object.',
      'tool_choice',
    );
  }
  if (choice.type === 'function' || choice.type === 'custom') {
    return { mode: 'ANY', allowedFunctionNames: [chosenName(choice, collected)] };
  }
  if (choice.type === 'allowed_tools') {
    const tools = Array.isArray(choice.tools) ? choice.tools : [];
    const names = tools
      .filter(isRecord)
      .filter((t) => t.type === 'function' || t.type === 'custom')
      .map((t) => chosenName(t, collected));
    // Gemini honours allowedFunctionNames only in ANY mode; in auto mode the caller narrows the
    // declarations instead.
    return { mode: choice.mode === 'required' ? 'ANY' : 'AUTO', allowedFunctionNames: names };
  }
  if (typeof choice.type === 'string' && HOSTED_CHOICES.has(choice.type)) {
    throw ApiError.badRequest(
      `tool_choice forces the ${choice.type} tool, which Gemini cannot serve through this proxy; use auto.`,
      'tool_choice',
    );
  }
  throw ApiError.badRequest(
    `tool_choice.type ${JSON.stringify(choice.type)} is not supported.`,
    'tool_choice.type',
  );
}

/**
 * Responses tools → Gemini tools. Functions and custom tools become declarations (custom ones
 * with one string argument), namespaces are flattened, and web search becomes Google Search when
 * no function is declared (Gemini 2.5 answers 400 to search combined with function calling). A tool
 * with no Gemini equivalent is left out rather than failing an agent that merely offers it.
 */
export function toGeminiResponsesTools(
  tools: unknown,
  choice: unknown,
  search: boolean,
  rules: RequestRules,
): MappedTools {
  if (tools !== undefined && tools !== null && !Array.isArray(tools)) {
    throw ApiError.badRequest('tools must be an array.', 'tools');
  }
  const collected = collect(Array.isArray(tools) ? tools : [], rules);
  const out: MappedTools = { byGeminiName: collected.byGeminiName, leftOut: collected.leftOut };
  const geminiTools: Record<string, unknown>[] = [];
  if (collected.decls.length > 0) {
    const config = functionCallingConfig(choice, collected);
    let decls = collected.decls;
    if (config?.mode === 'AUTO' && Array.isArray(config.allowedFunctionNames)) {
      const allowed = config.allowedFunctionNames as string[];
      decls = decls.filter((d) => allowed.includes(d.name));
      delete config.allowedFunctionNames;
    }
    geminiTools.push({ functionDeclarations: decls });
    if (config) out.toolConfig = { functionCallingConfig: config };
  } else if (isRecord(choice) && choice.type !== 'allowed_tools') {
    functionCallingConfig(choice, collected);
  }
  // A `-search` model name is the user's explicit choice, kept as on the chat route.
  if (search || (collected.search && collected.decls.length === 0)) {
    geminiTools.push({ googleSearch: {} });
  } else if (collected.search) {
    out.leftOut.push('web_search (beside functions)');
  }
  if (geminiTools.length > 0) out.tools = geminiTools;
  return out;
}
