import { classifyFinish } from './finish';

describe('classifyFinish', () => {
  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'filtered'],
    ['RECITATION', 'filtered'],
    ['IMAGE_RECITATION', 'filtered'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
    [undefined, 'stop'],
  ])('classifies %s as %s', (reason, expected) => {
    expect(classifyFinish(reason)).toBe(expected);
  });
});
