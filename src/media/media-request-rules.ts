import { ApiError } from '../errors/api-error';
import type { MultipartForm, UploadedFile } from '../http/multipart-form';
import {
  aNonEmptyString,
  aNumber,
  anInteger,
  aString,
  Check,
  FieldChecks,
  fieldsProblem,
  oneOf,
  optional,
  required,
} from '../openai/dto/field-checks';
import { aModelName } from '../openai/dto/model-name-rule';
import type { RequestProblem } from '../errors/request-problem';

/** OpenAI's own bound on `n` for the images routes. */
export const MAX_IMAGES = 10;

const IMAGE_OPTIONS: FieldChecks = [
  ['model', optional(aModelName)],
  ['n', optional(anInteger({ min: 1, max: MAX_IMAGES }))],
  ['size', optional(aString)],
  ['quality', optional(aString)],
  ['response_format', optional(oneOf(['url', 'b64_json']))],
];

/** gpt-image-1's partial-image stream has no Gemini counterpart: refused, not answered as JSON. */
const notStreamed: Check = (value, param) =>
  value === false || value === 'false'
    ? undefined
    : {
        param,
        message: `Invalid '${param}': streamed image generation is not supported; leave it out.`,
        code: 'invalid_value',
      };

const IMAGE_GENERATION: FieldChecks = [
  ['prompt', required(aNonEmptyString)],
  ...IMAGE_OPTIONS,
  ['stream', optional(notStreamed)],
];

export function findImageGenerationProblem(
  body: Record<string, unknown>,
): RequestProblem | undefined {
  return fieldsProblem(body, IMAGE_GENERATION);
}

const SPEECH: FieldChecks = [
  ['model', required(aModelName)],
  ['input', required(aNonEmptyString)],
  ['voice', required(aNonEmptyString)],
  ['instructions', optional(aString)],
  ['response_format', optional(aString)],
  ['speed', optional(aNumber({ min: 0.25, max: 4 }))],
  ['stream_format', optional(oneOf(['audio']))],
];

export function findSpeechProblem(body: Record<string, unknown>): RequestProblem | undefined {
  return fieldsProblem(body, SPEECH);
}

/**
 * A multipart form's text fields as the JSON a route's checks take: numbers where the route
 * wants numbers (a form sends every value as text), and the same checks as the JSON routes.
 */
export function formValues(
  form: MultipartForm,
  checks: FieldChecks,
  numeric: readonly string[] = [],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name] of checks) {
    const raw = form.field(name);
    if (raw === undefined) continue;
    const number = Number(raw);
    values[name] = numeric.includes(name) && raw.trim() !== '' && !isNaN(number) ? number : raw;
  }
  const problem = fieldsProblem(values, checks);
  if (problem) {
    throw new ApiError({
      status: 400,
      kind: 'invalid_request',
      message: problem.message,
      param: problem.param,
      code: problem.code,
    });
  }
  return values;
}

export const IMAGE_EDIT: FieldChecks = IMAGE_GENERATION;

export const TRANSCRIPTION: FieldChecks = [
  ['model', required(aModelName)],
  ['language', optional(aString)],
  ['prompt', optional(aString)],
  ['response_format', optional(oneOf(['json', 'text', 'srt', 'vtt', 'verbose_json']))],
  ['stream', optional(oneOf(['false']))],
];

/** The one file a form must carry in `field`; a 400 naming the field otherwise. */
export function oneFile(form: MultipartForm, field: string): UploadedFile {
  const files = form.filesOf(field);
  if (files.length === 0) {
    throw ApiError.badRequest(`Missing required parameter: '${field}' (a file).`, field);
  }
  if (files.length > 1) {
    throw ApiError.badRequest(`Send one file in '${field}', not ${files.length}.`, field);
  }
  return files[0];
}
