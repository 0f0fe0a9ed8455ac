import {
  aBoolean,
  aNumber,
  anArrayOf,
  anInteger,
  anObjectWith,
  aString,
  Check,
  fieldsProblem,
  oneOf,
  optional,
  required,
} from './field-checks';

describe('field checks', () => {
  it.each<[string, Check, unknown, string | undefined]>([
    ['a string passes aString', aString, 'x', undefined],
    ['a number fails aString', aString, 1, 'invalid_type'],
    ['true passes aBoolean', aBoolean, true, undefined],
    ['a number within range passes', aNumber({ min: 0, max: 2 }), 2, undefined],
    ['a number above range fails', aNumber({ max: 2 }), 2.5, 'invalid_value'],
    ['a fraction fails anInteger', anInteger(), 1.5, 'invalid_type'],
    ['an integer below min fails', anInteger({ min: 1 }), 0, 'invalid_value'],
    ['a listed value passes oneOf', oneOf(['a', 'b']), 'b', undefined],
    ['an unlisted value fails oneOf', oneOf(['a', 'b']), 'c', 'invalid_value'],
    ['null passes optional', optional(aString), null, undefined],
    ['absence fails required', required(aString), undefined, 'missing_required_parameter'],
    ['null fails required by type', required(aString), null, 'invalid_type'],
  ])('%s', (_name, check, value, code) => {
    expect(check(value, 'p')?.code).toBe(code);
  });

  it('names the full path of an item deep in arrays and objects', () => {
    const check = anArrayOf(anObjectWith([['name', required(aString)]]));
    expect(check([{ name: 'a' }, { name: 2 }], 'tools')).toEqual({
      param: 'tools[1].name',
      message: "Invalid 'tools[1].name': must be a string.",
      code: 'invalid_type',
    });
  });

  it('reports the first failing field in table order', () => {
    const fields = [
      ['a', required(aString)],
      ['b', required(aString)],
    ] as const;
    expect(fieldsProblem({ a: 1, b: 2 }, fields)?.param).toBe('a');
    expect(fieldsProblem({ a: 'x', b: 'y' }, fields)).toBeUndefined();
  });
});
