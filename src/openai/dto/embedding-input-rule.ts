import { emptyArray, invalidType, missing, RequestProblem } from '../../errors/request-problem';

/**
 * `input` of `/v1/embeddings`: a string or a non-empty array of strings. OpenAI also takes token
 * ids (arrays of integers), but Gemini embeds text only, and no tokenizer here could turn OpenAI's
 * token ids back into the text they came from.
 */
export function embeddingInputProblem(input: unknown): RequestProblem | undefined {
  if (input === undefined || input === null) return missing('input');
  if (typeof input === 'string') return undefined;
  if (!Array.isArray(input)) return invalidType('input', 'a string or an array of strings', input);
  if (input.length === 0) return emptyArray('input');
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    if (typeof item === 'string') continue;
    const tokens =
      typeof item === 'number' || (Array.isArray(item) && item.every((t) => typeof t === 'number'));
    return {
      ...invalidType(`input[${i}]`, 'a string', item),
      ...(tokens
        ? {
            message: `Invalid 'input[${i}]': token-id input is not supported, because Gemini embeds text; send the text itself.`,
            code: 'invalid_value' as const,
          }
        : {}),
    };
  }
  return undefined;
}
