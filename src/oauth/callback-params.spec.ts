import { callbackParamsFromPastedUrl, callbackParamsFromQuery } from './callback-params';
import { LoginError } from './login-errors';

describe('callbackParamsFromQuery', () => {
  it('reads code, state and Google error fields', () => {
    expect(
      callbackParamsFromQuery({ code: 'c', state: 's', error: 'e', error_description: 'd' }),
    ).toEqual({ code: 'c', state: 's', error: 'e', errorDescription: 'd' });
  });

  it('treats a repeated parameter as absent rather than picking one', () => {
    expect(callbackParamsFromQuery({ code: ['a', 'b'], state: 's' }).code).toBeUndefined();
  });
});

describe('callbackParamsFromPastedUrl', () => {
  const url = 'http://localhost:7860/oauth2callback?state=abc&code=4%2F0Axyz&scope=openid';

  it.each([
    ['the whole address', url],
    ['the address with surrounding blanks', `  ${url}\n`],
    ['only the query', '?state=abc&code=4%2F0Axyz'],
    ['the query without "?"', 'state=abc&code=4/0Axyz'],
    ['an address with a fragment', `${url}#`],
  ])('reads %s', (_name, pasted) => {
    expect(callbackParamsFromPastedUrl(pasted)).toMatchObject({ state: 'abc', code: '4/0Axyz' });
  });

  it("reads Google's refusal", () => {
    expect(
      callbackParamsFromPastedUrl(
        'http://localhost:7860/oauth2callback?error=access_denied&state=abc',
      ),
    ).toMatchObject({ error: 'access_denied', state: 'abc' });
  });

  it.each([
    ['nothing', ''],
    ['a number', 42],
    ['an address without state', 'http://localhost:7860/oauth2callback?code=x'],
    ['an address without code', 'http://localhost:7860/oauth2callback?state=x'],
    ['unrelated text', 'hello world'],
    ['a huge paste', `state=a&code=${'x'.repeat(9000)}`],
  ])('rejects %s', (_name, pasted) => {
    expect(() => callbackParamsFromPastedUrl(pasted)).toThrow(LoginError);
  });
});
