import { missing, RequestProblem } from '../../errors/request-problem';

/** Checks one value found at `param` (the full OpenAI path, `tools[0].function.name`). */
export type Check = (value: unknown, param: string) => RequestProblem | undefined;

/** A request object's checks, field by field, in the order the problems are reported. */
export type FieldChecks = readonly (readonly [key: string, check: Check])[];

// The wording is class-validator's, which these routes used before: clients may match on it.
function mustBe(param: string, what: string): RequestProblem {
  return { param, message: `Invalid '${param}': must be ${what}.`, code: 'invalid_type' };
}

function outOfRange(param: string, reason: string): RequestProblem {
  return { param, message: `Invalid '${param}': ${reason}.`, code: 'invalid_value' };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem among `fields` of `owner`, whose own path is `at` ('' for the body). */
export function fieldsProblem(
  owner: Record<string, unknown>,
  fields: FieldChecks,
  at = '',
): RequestProblem | undefined {
  for (const [key, check] of fields) {
    const problem = check(owner[key], at ? `${at}.${key}` : key);
    if (problem) return problem;
  }
  return undefined;
}

/** Absent (undefined) is "missing"; anything else goes to `check`. */
export const required =
  (check: Check): Check =>
  (value, param) =>
    value === undefined ? missing(param) : check(value, param);

/** Absent or null passes (OpenAI lets clients null out options); anything else goes to `check`. */
export const optional =
  (check: Check): Check =>
  (value, param) =>
    value === undefined || value === null ? undefined : check(value, param);

export const aString: Check = (value, param) =>
  typeof value === 'string' ? undefined : mustBe(param, 'a string');

export const aNonEmptyString: Check = (value, param) =>
  typeof value !== 'string'
    ? mustBe(param, 'a string')
    : value === ''
      ? outOfRange(param, 'should not be empty')
      : undefined;

export const aBoolean: Check = (value, param) =>
  typeof value === 'boolean' ? undefined : mustBe(param, 'a boolean value');

export const anObject: Check = (value, param) =>
  isRecord(value) ? undefined : mustBe(param, 'an object');

export interface Range {
  min?: number;
  max?: number;
  /** Said after the bound when `max` is exceeded (why the limit is there). */
  maxReason?: string;
}

function rangeProblem(value: number, param: string, range: Range): RequestProblem | undefined {
  if (range.min !== undefined && value < range.min) {
    return outOfRange(param, `must not be less than ${range.min}`);
  }
  if (range.max !== undefined && value > range.max) {
    const why = range.maxReason ? ` (${range.maxReason})` : '';
    return outOfRange(param, `must not be greater than ${range.max}${why}`);
  }
  return undefined;
}

export const aNumber =
  (range: Range = {}): Check =>
  (value, param) =>
    typeof value === 'number' && Number.isFinite(value)
      ? rangeProblem(value, param, range)
      : mustBe(param, 'a number conforming to the specified constraints');

export const anInteger =
  (range: Range = {}): Check =>
  (value, param) =>
    Number.isInteger(value)
      ? rangeProblem(value as number, param, range)
      : mustBe(param, 'an integer number');

export const oneOf =
  (values: readonly string[]): Check =>
  (value, param) =>
    values.includes(value as string)
      ? undefined
      : outOfRange(param, `must be one of the following values: ${values.join(', ')}`);

/** An object whose own fields are checked too. */
export const anObjectWith =
  (fields: FieldChecks): Check =>
  (value, param) =>
    isRecord(value) ? fieldsProblem(value, fields, param) : mustBe(param, 'an object');

/** An array whose items are each checked. */
export const anArrayOf =
  (item: Check): Check =>
  (value, param) => {
    if (!Array.isArray(value)) return mustBe(param, 'an array');
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${param}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

/** A rule written for one top-level field, which names the exact path itself. */
export const byRule =
  (rule: (value: unknown) => RequestProblem | undefined): Check =>
  (value) =>
    rule(value);
