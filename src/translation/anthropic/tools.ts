import { ApiError } from '../../errors/api-error';
import type { GeminiRequest } from '../../upstream/gemini-types';
import type { RequestRules } from '../common/request-rules';
import { isRecord } from '../../json/is-record';

interface FunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface MappedTools extends Pick<GeminiRequest, 'tools' | 'toolConfig'> {
  /** `disable_parallel_tool_use`: Gemini has no such switch, so only the first call is kept. */
  singleToolCall: boolean;
}

/**
 * Anthropic tools → Gemini function declarations, each `input_schema` sanitised to Gemini's
 * subset. Tools marked `defer_loading` (Claude Code's tool search) are declared only once a
 * `tool_reference` in the conversation has loaded them, as Anthropic does. Server tools carry a
 * dated `type`: web search becomes Google Search; the others have no Gemini counterpart and are
 * left out (the model need not call them).
 */
function declarations(
  tools: unknown,
  loaded: ReadonlySet<string>,
  rules: RequestRules,
): { decls: FunctionDeclaration[]; search: boolean } {
  if (tools === undefined || tools === null) return { decls: [], search: false };
  if (!Array.isArray(tools)) throw ApiError.badRequest('tools: must be an array.', 'tools');
  const decls: FunctionDeclaration[] = [];
  let search = false;
  tools.forEach((tool: unknown, k) => {
    const at = `tools.${k}`;
    if (!isRecord(tool)) throw ApiError.badRequest(`${at}: must be an object.`, at);
    if (typeof tool.type === 'string' && tool.type !== 'custom') {
      if (tool.type.startsWith('web_search')) search = true;
      return;
    }
    if (typeof tool.name !== 'string' || tool.name === '') {
      throw ApiError.badRequest(`${at}.name: Field required`, `${at}.name`);
    }
    if (tool.defer_loading === true && !loaded.has(tool.name)) return;
    const declaration: FunctionDeclaration = { name: tool.name };
    if (typeof tool.description === 'string' && tool.description) {
      declaration.description = tool.description;
    }
    const parameters = rules.toolSchema(tool.input_schema, `${at}.input_schema`);
    if (parameters) declaration.parameters = parameters;
    decls.push(declaration);
  });
  return { decls, search };
}

function functionCallingConfig(
  choice: unknown,
  decls: FunctionDeclaration[],
): Record<string, unknown> | undefined {
  if (choice === undefined || choice === null || decls.length === 0) return undefined;
  const type = isRecord(choice) ? choice.type : undefined;
  switch (type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'any':
      return { mode: 'ANY' };
    case 'none':
      return { mode: 'NONE' };
    case 'tool': {
      const name = (choice as Record<string, unknown>).name;
      if (typeof name !== 'string' || !decls.some((d) => d.name === name)) {
        throw ApiError.badRequest(
          'tool_choice.name: must name one of the tools in tools.',
          'tool_choice.name',
        );
      }
      return { mode: 'ANY', allowedFunctionNames: [name] };
    }
    default:
      throw ApiError.badRequest(
        'tool_choice.type: must be one of auto, any, tool, none.',
        'tool_choice.type',
      );
  }
}

/** tools, tool_choice and the `-search` model suffix → Gemini `tools` and `toolConfig`. */
export function toGeminiTools(
  tools: unknown,
  toolChoice: unknown,
  opts: { search: boolean; loaded: ReadonlySet<string>; rules: RequestRules },
): MappedTools {
  const { decls, search } = declarations(tools, opts.loaded, opts.rules);
  const calling = functionCallingConfig(toolChoice, decls);
  const out: MappedTools = {
    singleToolCall: isRecord(toolChoice) && toolChoice.disable_parallel_tool_use === true,
  };
  const list: Record<string, unknown>[] = [];
  if (decls.length > 0) list.push({ functionDeclarations: decls });
  if (opts.search || search) list.push({ googleSearch: {} });
  if (list.length > 0) out.tools = list;
  if (calling) out.toolConfig = { functionCallingConfig: calling };
  return out;
}
