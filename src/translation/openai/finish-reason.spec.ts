import { mapFinishReason } from './finish-reason';

describe('mapFinishReason', () => {
  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['IMAGE_PROHIBITED_CONTENT', 'content_filter'],
    ['LANGUAGE', 'stop'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
    ['FINISH_REASON_UNSPECIFIED', 'stop'],
    [undefined, 'stop'],
  ])('maps %s without tool calls to %s', (reason, expected) => {
    expect(mapFinishReason(reason, false)).toBe(expected);
  });

  it.each(['STOP', 'MAX_TOKENS', undefined])(
    'maps %s to tool_calls when calls are present',
    (reason) => {
      expect(mapFinishReason(reason, true)).toBe('tool_calls');
    },
  );
});
