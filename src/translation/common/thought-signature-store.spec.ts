import { InMemoryThoughtSignatureStore } from './thought-signature-store';

describe('InMemoryThoughtSignatureStore', () => {
  it('returns the signature stored under a tool-call id', () => {
    const store = new InMemoryThoughtSignatureStore();
    store.set('call_a1', 'CiQBVF9ZQ0Y');
    expect(store.get('call_a1')).toBe('CiQBVF9ZQ0Y');
  });

  it('returns undefined for an id it never saw', () => {
    expect(new InMemoryThoughtSignatureStore().get('call_unknown')).toBeUndefined();
  });

  it('replaces the signature when the same id is stored again', () => {
    const store = new InMemoryThoughtSignatureStore();
    store.set('call_a1', 'old');
    store.set('call_a1', 'new');
    expect([store.get('call_a1'), store.size]).toEqual(['new', 1]);
  });

  it('evicts the least recently used id once it holds maxEntries', () => {
    const store = new InMemoryThoughtSignatureStore(2);
    store.set('call_1', 's1');
    store.set('call_2', 's2');
    store.get('call_1');
    store.set('call_3', 's3');
    expect([store.get('call_1'), store.get('call_2'), store.get('call_3')]).toEqual([
      's1',
      undefined,
      's3',
    ]);
  });

  it('never holds more than maxEntries signatures', () => {
    const store = new InMemoryThoughtSignatureStore(100);
    for (let i = 0; i < 1000; i++) store.set(`call_${i}`, `sig_${i}`);
    expect(store.size).toBe(100);
  });

  it.each([0, -1, 1.5])('refuses a capacity of %p', (capacity) => {
    expect(() => new InMemoryThoughtSignatureStore(capacity)).toThrow(RangeError);
  });
});
