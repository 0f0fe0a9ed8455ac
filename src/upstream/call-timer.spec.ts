import { CallTimer } from './call-timer';

describe('CallTimer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts a call that is never re-armed once the limit has passed, as a timeout', () => {
    const timer = new CallTimer(new AbortController().signal, 1_000);
    jest.advanceTimersByTime(999);
    expect(timer.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(timer.signal.aborted).toBe(true);
    expect(timer.timedOut).toBe(true);
  });

  it('gives Google the whole limit again for each event, however long the stream runs', () => {
    const timer = new CallTimer(new AbortController().signal, 1_000);
    for (let event = 0; event < 10; event++) {
      jest.advanceTimersByTime(900);
      timer.hold();
      timer.resume();
    }
    expect(timer.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1_000);
    expect(timer.timedOut).toBe(true);
  });

  it('does not count the time the consumer holds an event against Google', () => {
    const timer = new CallTimer(new AbortController().signal, 1_000);
    timer.hold();
    jest.advanceTimersByTime(5_000);
    expect(timer.signal.aborted).toBe(false);
    timer.resume();
    jest.advanceTimersByTime(999);
    expect(timer.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(timer.timedOut).toBe(true);
  });

  it('follows the client’s abort, which is not a timeout', () => {
    const client = new AbortController();
    const timer = new CallTimer(client.signal, 1_000);
    client.abort();
    expect(timer.signal.aborted).toBe(true);
    jest.advanceTimersByTime(2_000);
    expect(timer.timedOut).toBe(false);
  });

  it('starts aborted, and never times out, for a client that already left', () => {
    const client = new AbortController();
    client.abort();
    const timer = new CallTimer(client.signal, 1_000);
    expect(timer.signal.aborted).toBe(true);
    jest.advanceTimersByTime(2_000);
    expect(timer.timedOut).toBe(false);
  });

  it('never fires once stopped', () => {
    const timer = new CallTimer(new AbortController().signal, 1_000);
    timer.stop();
    timer.resume();
    jest.advanceTimersByTime(5_000);
    expect(timer.signal.aborted).toBe(false);
  });
});
