import { ApiError } from '../../errors/api-error';
import type { GeminiRequest } from '../../upstream/gemini-types';
import type { OpenAIChatRequest } from './openai-types';
import type { RequestRules } from '../common/request-rules';
import { isRecord } from '../../json/is-record';

interface FunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

type ToolsAndConfig = Pick<GeminiRequest, 'tools' | 'toolConfig'>;

function declarations(tools: unknown, rules: RequestRules): FunctionDeclaration[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw ApiError.badRequest('tools must be an array.', 'tools');
  return tools.map((tool: unknown, k) => {
    const at = `tools[${k}]`;
    if (!isRecord(tool) || tool.type !== 'function') {
      throw ApiError.badRequest(
        `${at}.type must be "function"; no other tool type is supported.`,
        `${at}.type`,
      );
    }
    const fn = isRecord(tool.function) ? tool.function : {};
    if (typeof fn.name !== 'string' || fn.name.length === 0) {
      throw ApiError.badRequest(`${at}.function.name is required.`, `${at}.function.name`);
    }
    const declaration: FunctionDeclaration = { name: fn.name };
    if (typeof fn.description === 'string' && fn.description) {
      declaration.description = fn.description;
    }
    const parameters = rules.toolSchema(fn.parameters, `${at}.function.parameters`);
    if (parameters) declaration.parameters = parameters;
    return declaration;
  });
}

function namedFunction(value: unknown, param: string, known: FunctionDeclaration[]): string {
  const name = isRecord(value) && isRecord(value.function) ? value.function.name : undefined;
  if (typeof name !== 'string' || !known.some((d) => d.name === name)) {
    throw ApiError.badRequest(`${param} must name one of the functions in tools.`, param);
  }
  return name;
}

/**
 * OpenAI tool_choice → Gemini functionCallingConfig. Gemini only honours allowedFunctionNames in
 * ANY mode, so an `allowed_tools` choice in auto mode narrows the declarations instead.
 */
function toolConfig(
  choice: unknown,
  decls: FunctionDeclaration[],
): { config?: Record<string, unknown>; decls: FunctionDeclaration[] } {
  if (choice === undefined || choice === null || decls.length === 0) return { decls };
  if (choice === 'none' || choice === 'auto' || choice === 'required') {
    const mode = { none: 'NONE', auto: 'AUTO', required: 'ANY' }[choice];
    return { config: { functionCallingConfig: { mode } }, decls };
  }
  if (isRecord(choice) && choice.type === 'function') {
    const name = namedFunction(choice, 'tool_choice.function.name', decls);
    return {
      config: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [name] } },
      decls,
    };
  }
  if (isRecord(choice) && choice.type === 'allowed_tools' && isRecord(choice.allowed_tools)) {
    const { mode, tools } = choice.allowed_tools;
    const names = (Array.isArray(tools) ? tools : []).map((t: unknown, k) =>
      namedFunction(t, `tool_choice.allowed_tools.tools[${k}].function.name`, decls),
    );
    if (mode === 'required') {
      return {
        config: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: names } },
        decls,
      };
    }
    const allowed = decls.filter((d) => names.includes(d.name));
    return { config: { functionCallingConfig: { mode: 'AUTO' } }, decls: allowed };
  }
  throw ApiError.badRequest(
    'tool_choice must be none, auto, required, or {type:"function", function:{name}}.',
    'tool_choice',
  );
}

/**
 * Function tools, tool_choice, and Google Search (from a `-search` model name or OpenAI's
 * `web_search_options`) → Gemini `tools` and `toolConfig`.
 */
export function toGeminiTools(
  req: OpenAIChatRequest,
  search: boolean,
  rules: RequestRules,
): ToolsAndConfig {
  const { config, decls } = toolConfig(req.tool_choice, declarations(req.tools, rules));
  const tools: Record<string, unknown>[] = [];
  if (decls.length > 0) tools.push({ functionDeclarations: decls });
  if (search || isRecord(req.web_search_options)) tools.push({ googleSearch: {} });
  const out: ToolsAndConfig = {};
  if (tools.length > 0) out.tools = tools;
  if (config) out.toolConfig = config;
  return out;
}
