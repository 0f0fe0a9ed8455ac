import { ApiError } from '../errors/api-error';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOfModels } from './model-page';

const models = Array.from({ length: 1_234 }, (_, i) => `m${i}`);

function invalid(pageSize: string | undefined, pageToken: string | undefined): ApiError {
  try {
    pageOfModels(models, pageSize, pageToken);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a 400');
}

describe('pageOfModels', () => {
  it.each([
    ['absent', undefined, DEFAULT_PAGE_SIZE],
    ['empty', '', DEFAULT_PAGE_SIZE],
    ['0', '0', DEFAULT_PAGE_SIZE],
    ['7', '7', 7],
    ['past the maximum', '5000', MAX_PAGE_SIZE],
  ])('takes a page size given as %s as %d models', (_, pageSize, expected) => {
    expect(pageOfModels(models, pageSize, undefined).models).toHaveLength(expected);
  });

  it('walks the whole list through nextPageToken, and leaves the token out on the last page', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = pageOfModels(models, '500', token);
      seen.push(...page.models);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(models);
  });

  it('has no nextPageToken when the list fits on one page', () => {
    expect(pageOfModels(['a', 'b'], undefined, undefined)).toEqual({ models: ['a', 'b'] });
  });

  it.each(['-1', '1.5', 'ten', '99999999999'])('refuses the page size %s', (pageSize) => {
    const error = invalid(pageSize, undefined);
    expect(error.status).toBe(400);
    expect(error.googleStatus).toBe('INVALID_ARGUMENT');
  });

  it.each(['nope', 'bW9kZWxzOg', 'bW9kZWxzOjUwCg', '../models:5', 'x'.repeat(200)])(
    'refuses the page token %s',
    (pageToken) => {
      const error = invalid(undefined, pageToken);
      expect(error.status).toBe(400);
      expect(error.googleStatus).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(/page token/);
    },
  );
});
