import { RevisionWatch, WatchedTable } from './revision-watch';

function table(overrides: Partial<WatchedTable> = {}) {
  const state = { revision: 0, reads: [] as boolean[], failures: [] as unknown[] };
  const watched: WatchedTable = {
    ready: Promise.resolve(),
    readable: () => true,
    revision: () => Promise.resolve(state.revision),
    read: (first) => {
      state.reads.push(first);
      return Promise.resolve();
    },
    failed: (error) => state.failures.push(error),
    ...overrides,
  };
  return { state, watch: new RevisionWatch(watched, 60_000, null, 'test:changed') };
}

describe('RevisionWatch', () => {
  it('reads the table first, then again only when its revision moved', async () => {
    const { state, watch } = table();
    await watch.refresh();
    await watch.refresh();
    expect(state.reads).toEqual([true]);
    state.revision = 1;
    await watch.refresh();
    await watch.refresh();
    expect(state.reads).toEqual([true, false]);
  });

  it('reads once for polls that meet a read under way', async () => {
    const { state, watch } = table();
    await Promise.all([watch.refresh(), watch.refresh(), watch.refresh()]);
    expect(state.reads).toHaveLength(1);
  });

  it('reads again after the read under way for a change made here', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reads: number[] = [];
    const { state, watch } = table({
      read: async () => {
        reads.push(state.revision);
        if (reads.length === 1) await gate;
      },
    });
    const polled = watch.refresh();
    await new Promise(setImmediate);
    expect(reads).toEqual([0]);
    state.revision = 1;
    const changed = watch.changed();
    release();
    await Promise.all([polled, changed]);
    expect(reads).toEqual([0, 1]);
  });

  it('reads nothing before migrations are done', async () => {
    const { state, watch } = table({ readable: () => false });
    await watch.refresh(true);
    expect(state.reads).toEqual([]);
  });

  it('keeps what it read when a read fails, and reads again at the next poll', async () => {
    let fail = false;
    const { state, watch } = table({
      revision: () => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(1)),
    });
    await watch.refresh();
    fail = true;
    await watch.refresh(true);
    expect(state.failures).toEqual([new Error('database down')]);
    fail = false;
    await watch.refresh(true);
    expect(state.reads).toEqual([true, false]);
  });
});
