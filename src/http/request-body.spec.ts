import { ApiError } from '../errors/api-error';
import { parseRequestBody } from './request-body';

const parse = (text: string, type?: string) => parseRequestBody(Buffer.from(text), type);

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseRequestBody', () => {
  it.each([
    ['application/json', '{"a":1}', { a: 1 }],
    ['application/json; charset=utf-8', '{"a":1}', { a: 1 }],
    ['text/plain', '[1]', [1]],
    ['application/vnd.api+json', '{"a":1}', { a: 1 }],
    ['application/json', '\uFEFF{"a":1}', { a: 1 }],
    ['application/json', '', {}],
    ['application/x-www-form-urlencoded', 'a=1&b=two', { a: '1', b: 'two' }],
    ['application/octet-stream', '{"a":1}', undefined],
    [undefined, '{"a":1}', undefined],
  ])('reads %s %j', (type, text, value) => {
    expect(parse(text, type)).toEqual(value);
  });

  it.each([
    ['invalid JSON', '{"a":', 'application/json', 400, /not valid JSON/],
    ['a bare JSON string', '"a"', 'application/json', 400, /must be an object/],
    ['nesting past 100 levels', '['.repeat(101) + ']'.repeat(101), 'application/json', 400, /100/],
    ['a charset other than UTF-8', '{}', 'application/json; charset=latin1', 415, /charset/],
  ])('refuses %s', (_name, text, type, status, message) => {
    const error = refusal(() => parse(text, type));
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  });
});
