import { modelNameProblem } from '../../models/model-names';
import { aNonEmptyString, Check } from './field-checks';
import { RequestProblem } from '../../errors/request-problem';

/** `model` of a /v1 body: a missing or non-string one is left to IsString; a bad name is refused here. */
export function modelNameRuleProblem(value: unknown): RequestProblem | undefined {
  if (typeof value !== 'string') return undefined;
  const problem = modelNameProblem(value);
  if (!problem) return undefined;
  return { param: 'model', message: `Invalid 'model': ${problem}`, code: 'invalid_value' };
}

/** `model`: a non-empty string that is a plausible model name. */
export const aModelName: Check = (value, param) =>
  aNonEmptyString(value, param) ?? modelNameRuleProblem(value);
