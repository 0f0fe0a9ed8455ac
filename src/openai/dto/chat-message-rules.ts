import {
  emptyArray,
  invalidType,
  invalidValue,
  missing,
  RequestProblem,
} from '../../errors/request-problem';

export const MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
type Role = (typeof MESSAGE_ROLES)[number];
type PartType = 'text' | 'refusal' | 'image_url' | 'input_audio' | 'file';

/** The content part types each role may send, as OpenAI's schema allows them. */
const PART_TYPES: Record<Role, readonly PartType[]> = {
  system: ['text'],
  developer: ['text'],
  user: ['text', 'image_url', 'input_audio', 'file'],
  assistant: ['text', 'refusal'],
  tool: ['text'],
};

/**
 * The first thing wrong with a `messages` array, or undefined when it is well formed.
 *
 * Messages are checked in place, field by field, and never copied: a message may carry megabytes
 * of base64 image or audio. Only shapes and types are checked here; the translation decides what
 * the values mean.
 */
export function findMessageProblem(messages: unknown): RequestProblem | undefined {
  if (messages === undefined || messages === null) return missing('messages');
  if (!Array.isArray(messages)) return invalidType('messages', 'an array', messages);
  if (messages.length === 0) return emptyArray('messages');
  for (let i = 0; i < messages.length; i++) {
    const problem = messageProblem(messages[i], `messages[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function messageProblem(message: unknown, at: string): RequestProblem | undefined {
  if (!isObject(message)) return invalidType(at, 'an object', message);
  const role = message.role;
  if (role === undefined) return missing(`${at}.role`);
  if (!(MESSAGE_ROLES as readonly unknown[]).includes(role)) {
    return invalidValue(`${at}.role`, role, MESSAGE_ROLES);
  }
  if (message.name !== undefined && typeof message.name !== 'string') {
    return invalidType(`${at}.name`, 'a string', message.name);
  }
  switch (role as Role) {
    case 'system':
    case 'developer':
    case 'user':
      return contentProblem(message.content, `${at}.content`, role as Role, true);
    case 'assistant':
      return (
        contentProblem(message.content, `${at}.content`, 'assistant', false) ??
        toolCallsProblem(message.tool_calls, `${at}.tool_calls`)
      );
    case 'tool':
      if (message.tool_call_id === undefined) return missing(`${at}.tool_call_id`);
      if (typeof message.tool_call_id !== 'string') {
        return invalidType(`${at}.tool_call_id`, 'a string', message.tool_call_id);
      }
      return contentProblem(message.content, `${at}.content`, 'tool', false);
  }
}

function contentProblem(
  content: unknown,
  at: string,
  role: Role,
  required: boolean,
): RequestProblem | undefined {
  if (content === undefined || content === null) return required ? missing(at) : undefined;
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content))
    return invalidType(at, 'a string or an array of content parts', content);
  for (let i = 0; i < content.length; i++) {
    const problem = partProblem(content[i], `${at}[${i}]`, PART_TYPES[role]);
    if (problem) return problem;
  }
  return undefined;
}

function partProblem(
  part: unknown,
  at: string,
  types: readonly PartType[],
): RequestProblem | undefined {
  if (!isObject(part)) return invalidType(at, 'an object', part);
  if (part.type === undefined) return missing(`${at}.type`);
  if (!(types as readonly unknown[]).includes(part.type)) {
    return invalidValue(`${at}.type`, part.type, types);
  }
  switch (part.type as PartType) {
    case 'text':
      return stringField(part, 'text', at);
    case 'refusal':
      return stringField(part, 'refusal', at);
    case 'image_url': {
      // Some older clients send the URL as a bare string.
      const image = part.image_url;
      if (typeof image === 'string') return undefined;
      if (image === undefined) return missing(`${at}.image_url`);
      if (!isObject(image)) return invalidType(`${at}.image_url`, 'an object', image);
      return stringField(image, 'url', `${at}.image_url`);
    }
    case 'input_audio': {
      const audio = part.input_audio;
      if (audio === undefined) return missing(`${at}.input_audio`);
      if (!isObject(audio)) return invalidType(`${at}.input_audio`, 'an object', audio);
      return (
        stringField(audio, 'data', `${at}.input_audio`) ??
        stringField(audio, 'format', `${at}.input_audio`)
      );
    }
    case 'file': {
      const file = part.file;
      if (file === undefined) return missing(`${at}.file`);
      if (!isObject(file)) return invalidType(`${at}.file`, 'an object', file);
      for (const key of ['file_data', 'file_id', 'filename']) {
        if (file[key] !== undefined && typeof file[key] !== 'string') {
          return invalidType(`${at}.file.${key}`, 'a string', file[key]);
        }
      }
      return undefined;
    }
  }
}

function toolCallsProblem(calls: unknown, at: string): RequestProblem | undefined {
  if (calls === undefined || calls === null) return undefined;
  if (!Array.isArray(calls)) return invalidType(at, 'an array', calls);
  for (let i = 0; i < calls.length; i++) {
    const call: unknown = calls[i];
    const here = `${at}[${i}]`;
    if (!isObject(call)) return invalidType(here, 'an object', call);
    if (call.type !== undefined && call.type !== 'function') {
      return invalidValue(`${here}.type`, call.type, ['function']);
    }
    const problem = stringField(call, 'id', here);
    if (problem) return problem;
    const fn = call.function;
    if (fn === undefined) return missing(`${here}.function`);
    if (!isObject(fn)) return invalidType(`${here}.function`, 'an object', fn);
    const fnProblem =
      stringField(fn, 'name', `${here}.function`) ??
      stringField(fn, 'arguments', `${here}.function`);
    if (fnProblem) return fnProblem;
  }
  return undefined;
}

function stringField(
  owner: Record<string, unknown>,
  key: string,
  at: string,
): RequestProblem | undefined {
  const value = owner[key];
  if (value === undefined) return missing(`${at}.${key}`);
  if (typeof value !== 'string') return invalidType(`${at}.${key}`, 'a string', value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
