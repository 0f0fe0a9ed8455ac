import { LineBuffer } from './line-buffer';

describe('LineBuffer', () => {
  let written: string[];
  const buffer = (maxChars = 1000) =>
    new LineBuffer((text) => written.push(text), { maxDelayMs: 50, maxChars });

  beforeEach(() => {
    written = [];
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('writes the lines of one burst together once the delay is over', () => {
    const lines = buffer();
    lines.push('a\n');
    lines.push('b\n');
    expect(written).toEqual([]);
    jest.advanceTimersByTime(50);
    expect(written).toEqual(['a\nb\n']);
  });

  it('writes at once when the waiting text reaches its size limit', () => {
    const lines = buffer(4);
    lines.push('ab\n');
    lines.push('cd\n');
    expect(written).toEqual(['ab\ncd\n']);
    jest.advanceTimersByTime(50);
    expect(written).toHaveLength(1);
  });

  it('writes what waits when flushed, and nothing when nothing waits', () => {
    const lines = buffer();
    lines.flush();
    lines.push('a\n');
    lines.flush();
    lines.flush();
    expect(written).toEqual(['a\n']);
  });

  it('starts a new delay for the lines after a flush', () => {
    const lines = buffer();
    lines.push('a\n');
    lines.flush();
    lines.push('b\n');
    jest.advanceTimersByTime(49);
    expect(written).toEqual(['a\n']);
    jest.advanceTimersByTime(1);
    expect(written).toEqual(['a\n', 'b\n']);
  });
});
