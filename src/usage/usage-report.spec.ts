import { toCsv, UsageReportRow } from './usage-report';

const row = (key: string): UsageReportRow => ({
  start: '2026-12-07T10:00:00.000Z',
  key,
  requests: 2,
  errors: 0,
  rate_limited: 1,
  prompt_tokens: 30,
  output_tokens: 9,
  thought_tokens: 4,
  cached_tokens: 0,
});

describe('toCsv', () => {
  it('writes a header line and one line per row', () => {
    expect(toCsv([row('gemini-2.5-pro')])).toBe(
      'start,key,requests,errors,rate_limited,prompt_tokens,output_tokens,thought_tokens,cached_tokens\r\n' +
        '2026-12-07T10:00:00.000Z,gemini-2.5-pro,2,0,1,30,9,4,0\r\n',
    );
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['@sum', "'@sum"],
  ])('quotes %s as %s', (key, field) => {
    expect(
      toCsv([row(key)])
        .split('\r\n')[1]
        .split(',2,0,1,')[0],
    ).toBe(`2026-12-07T10:00:00.000Z,${field}`);
  });
});
