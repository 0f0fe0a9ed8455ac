import { aModelName } from './model-name-rule';
import { embeddingInputProblem } from './embedding-input-rule';
import {
  anInteger,
  anObject,
  aString,
  byRule,
  FieldChecks,
  fieldsProblem,
  oneOf,
  optional,
  required,
} from './field-checks';
import { RequestProblem } from '../../errors/request-problem';

/** `POST /v1/embeddings`; the openai SDK asks for base64 unless told otherwise. */
const EMBEDDINGS_REQUEST: FieldChecks = [
  ['model', required(aModelName)],
  ['input', byRule(embeddingInputProblem)],
  ['dimensions', optional(anInteger({ min: 1 }))],
  ['encoding_format', optional(oneOf(['float', 'base64']))],
  ['user', optional(aString)],
  ['google', optional(anObject)],
  ['extra_body', optional(anObject)],
];

/** The first thing wrong with an embeddings body, or undefined when it is well formed. */
export function findEmbeddingsRequestProblem(
  body: Record<string, unknown>,
): RequestProblem | undefined {
  return fieldsProblem(body, EMBEDDINGS_REQUEST);
}
