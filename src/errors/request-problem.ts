/** One thing wrong with a request, in the terms of OpenAI's 400 answers. */
export interface RequestProblem {
  /** The field at fault, as OpenAI names it: `messages[2].content[0].image_url`. */
  param: string;
  message: string;
  code:
    | 'missing_required_parameter'
    | 'invalid_type'
    | 'invalid_value'
    | 'empty_array'
    | 'integer_below_min_value';
}

export function missing(param: string): RequestProblem {
  return {
    param,
    message: `Missing required parameter: '${param}'.`,
    code: 'missing_required_parameter',
  };
}

export function invalidType(param: string, expected: string, value: unknown): RequestProblem {
  return {
    param,
    message: `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    code: 'invalid_type',
  };
}

/** OpenAI's wording for a number under its field's minimum. */
export function belowMinimum(param: string, min: number, value: number): RequestProblem {
  return {
    param,
    message: `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
    code: 'integer_below_min_value',
  };
}

export function invalidValue(
  param: string,
  value: unknown,
  supported: readonly string[],
): RequestProblem {
  const list = supported.map((s) => `'${s}'`);
  const last = list.pop();
  const joined = list.length > 0 ? `${list.join(', ')}, and ${last}` : last;
  return {
    param,
    message: `Invalid value: ${quote(value)}. Supported values are: ${joined}.`,
    code: 'invalid_value',
  };
}

export function emptyArray(param: string): RequestProblem {
  return {
    param,
    message: `Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
    code: 'empty_array',
  };
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 64 ? `${value.slice(0, 64)}…` : value}'`;
  return describeType(value);
}
