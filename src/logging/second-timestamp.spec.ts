import { SecondTimestamp } from './second-timestamp';

describe('SecondTimestamp', () => {
  it('formats once per second and gives the same text within it', () => {
    let now = 10_000;
    const format = jest.fn((ms: number) => `t${Math.floor(ms / 1000)}`);
    const timestamp = new SecondTimestamp(format, () => now);
    expect(timestamp.current()).toBe('t10');
    now = 10_999;
    expect(timestamp.current()).toBe('t10');
    expect(format).toHaveBeenCalledTimes(1);
    now = 11_000;
    expect(timestamp.current()).toBe('t11');
    expect(format).toHaveBeenCalledTimes(2);
  });
});
