import { invalidType, invalidValue, missing, RequestProblem } from '../../errors/request-problem';

const TOOL_CHOICE_MODES = ['none', 'auto', 'required'] as const;

/** `stop`: a string or an array of strings (Gemini's stopSequences). */
export function stopProblem(stop: unknown): RequestProblem | undefined {
  if (stop === undefined || stop === null || typeof stop === 'string') return undefined;
  if (!Array.isArray(stop)) return invalidType('stop', 'a string or an array of strings', stop);
  const index = stop.findIndex((s) => typeof s !== 'string');
  return index < 0 ? undefined : invalidType(`stop[${index}]`, 'a string', stop[index]);
}

/** `tool_choice`: a mode, a named function, or an allowed-tools list. */
export function toolChoiceProblem(choice: unknown): RequestProblem | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === 'string') {
    return (TOOL_CHOICE_MODES as readonly string[]).includes(choice)
      ? undefined
      : invalidValue('tool_choice', choice, TOOL_CHOICE_MODES);
  }
  if (typeof choice !== 'object' || Array.isArray(choice)) {
    return invalidType('tool_choice', 'a string or an object', choice);
  }
  const named = choice as {
    type?: unknown;
    function?: { name?: unknown };
    allowed_tools?: unknown;
  };
  switch (named.type) {
    case 'function':
      if (typeof named.function !== 'object' || named.function === null)
        return missing('tool_choice.function');
      return typeof named.function.name === 'string'
        ? undefined
        : invalidType('tool_choice.function.name', 'a string', named.function.name);
    case 'allowed_tools': {
      const allowed = named.allowed_tools as { mode?: unknown; tools?: unknown } | undefined;
      if (typeof allowed !== 'object' || allowed === null)
        return missing('tool_choice.allowed_tools');
      if (allowed.mode !== 'auto' && allowed.mode !== 'required') {
        return invalidValue('tool_choice.allowed_tools.mode', allowed.mode, ['auto', 'required']);
      }
      if (!Array.isArray(allowed.tools)) {
        return invalidType('tool_choice.allowed_tools.tools', 'an array', allowed.tools);
      }
      return undefined;
    }
    case undefined:
      return missing('tool_choice.type');
    default:
      return invalidValue('tool_choice.type', named.type, ['function', 'allowed_tools']);
  }
}
