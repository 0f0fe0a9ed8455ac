import { randomBytes } from 'node:crypto';
import { ApiError } from '../../errors/api-error';
import type { InputItem } from './responses-types';
import { isRecord } from '../../json/is-record';

export const newItemId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

const ID_PREFIX: Record<string, string> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  custom_tool_call: 'ctc',
  custom_tool_call_output: 'ctco',
  reasoning: 'rs',
};

/**
 * `input` as a list of typed items with ids, as `GET …/input_items` lists them: a string is one
 * user message, an item without `type` but with a `role` is a message, and items the client sent
 * without an id get one.
 */
export function normaliseInput(input: unknown): InputItem[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') {
    return [
      {
        type: 'message',
        id: newItemId('msg'),
        role: 'user',
        content: [{ type: 'input_text', text: input }],
      },
    ];
  }
  if (!Array.isArray(input)) {
    throw ApiError.badRequest('input must be a string or an array of input items.', 'input');
  }
  return input.map((item: unknown, i): InputItem => {
    if (!isRecord(item)) throw ApiError.badRequest(`input[${i}] must be an object.`, `input[${i}]`);
    const type = typeof item.type === 'string' ? item.type : 'message';
    const normalised: InputItem = { ...item, type };
    if (type === 'message' && typeof item.content === 'string') {
      const partType = item.role === 'assistant' ? 'output_text' : 'input_text';
      normalised.content = [{ type: partType, text: item.content }];
    }
    if (typeof item.id !== 'string' && type !== 'item_reference') {
      normalised.id = newItemId(ID_PREFIX[type] ?? 'item');
    }
    return normalised;
  });
}
