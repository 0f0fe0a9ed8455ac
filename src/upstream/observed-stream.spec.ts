import { ObservedStream, primeStream, StreamObserver } from './observed-stream';

interface Ended {
  completed: boolean;
  error?: unknown;
}

function observe<T>() {
  const events: T[] = [];
  const ends: Ended[] = [];
  const observer: StreamObserver<T> = {
    onEvent: (e) => events.push(e),
    onEnd: (completed, error) => ends.push({ completed, error }),
  };
  return { events, ends, observer };
}

async function* source<T>(items: T[], failAfter?: Error, closed?: { value: boolean }) {
  try {
    for (const item of items) yield item;
    if (failAfter) throw failAfter;
  } finally {
    if (closed) closed.value = true;
  }
}

describe('ObservedStream', () => {
  it('replays the primed first event, then the rest, and reports a completed end once', async () => {
    const { events, ends, observer } = observe<number>();
    const stream = new ObservedStream(await primeStream(source([1, 2, 3]), () => 42), observer);
    const seen: number[] = [];
    for await (const n of stream) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
    expect(events).toEqual([1, 2, 3]);
    expect(ends).toEqual([{ completed: true, error: undefined }]);
  });

  it('records when the first event arrived', async () => {
    const primed = await primeStream(source(['a']), () => 1234);
    expect(primed.firstAt).toBe(1234);
    expect(primed.first).toEqual({ done: false, value: 'a' });
  });

  it('reports the error a failing source throws and still throws it to the consumer', async () => {
    const { ends, observer } = observe<number>();
    const boom = new Error('cut');
    const stream = new ObservedStream(await primeStream(source([1, 2], boom), () => 0), observer);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream) seen.push(n);
      })(),
    ).rejects.toBe(boom);
    expect(seen).toEqual([1, 2]);
    expect(ends).toEqual([{ completed: false, error: boom }]);
  });

  it('closes the source and reports an early end when the consumer stops', async () => {
    const { ends, observer } = observe<number>();
    const closed = { value: false };
    const stream = new ObservedStream(
      await primeStream(source([1, 2, 3], undefined, closed), () => 0),
      observer,
    );
    for await (const n of stream) if (n === 2) break;
    expect(closed.value).toBe(true);
    expect(ends).toEqual([{ completed: false, error: undefined }]);
  });

  it('serves an empty stream as ended at once', async () => {
    const { ends, observer } = observe<number>();
    const stream = new ObservedStream(await primeStream(source<number>([]), () => 0), observer);
    const seen: number[] = [];
    for await (const n of stream) seen.push(n);
    expect(seen).toEqual([]);
    expect(ends).toEqual([{ completed: true, error: undefined }]);
  });
});
