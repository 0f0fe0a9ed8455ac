import { BoundedLabel } from './bounded-label';

describe('BoundedLabel', () => {
  it('passes values through until the limit, then folds new ones into "other"', () => {
    const label = new BoundedLabel(2);
    expect([label.value('a'), label.value('b'), label.value('c'), label.value('a')]).toEqual([
      'a',
      'b',
      'other',
      'a',
    ]);
  });

  it('names a missing value "none"', () => {
    expect(new BoundedLabel(5).value(undefined)).toBe('none');
  });
});
