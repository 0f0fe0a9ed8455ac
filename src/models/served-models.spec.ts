import { RequestContext } from '../request/request-context';
import { Clock } from '../time/clock';
import { UpstreamEvents } from '../upstream/upstream-events';
import { isOtherModel, MAX_MISMATCH_PAIRS, servedModelName, ServedModels } from './served-models';

class StepClock extends Clock {
  t = 1_000;
  now(): number {
    return this.t;
  }
}

describe('servedModelName', () => {
  it.each([
    ['gemini-3.8-flash', 'gemini-3.8-flash'],
    ['models/gemini-3.8-flash', 'gemini-3.8-flash'],
    ['publishers/google/models/gemini-3.8-flash', 'gemini-3.8-flash'],
    ['gemini 3\nPOST /forged 200', undefined],
    ['x'.repeat(300), undefined],
    ['', undefined],
  ])('reads %j as %j', (raw, name) => {
    expect(servedModelName(raw)).toBe(name);
  });
});

describe('isOtherModel', () => {
  it.each([
    ['gemini-2.5-pro', 'gemini-2.5-pro', false],
    ['gemini-2.5-flash', 'gemini-2.5-flash-001', false],
    ['gemini-3.1-pro-preview', 'gemini-3.1-pro-preview-02-2026', false],
    ['gemini-2.5-pro', 'gemini-3.8-flash', true],
    ['gemini-2.5-flash', 'gemini-2.5-flash-lite', true],
    ['gemini-3.5-flash', 'gemini-3.5-flash-lite', true],
  ])('asked %s, served %s: %s', (asked, served, other) => {
    expect(isOtherModel(asked, served)).toBe(other);
  });
});

describe('ServedModels', () => {
  const context = new RequestContext();
  let events: UpstreamEvents;
  let clock: StepClock;
  let served: ServedModels;
  const answer = (model: string, servedModel: string, credentialId = 'key...abcde') =>
    events.emit('served', { context, model, credentialId, servedModel });

  beforeEach(() => {
    events = new UpstreamEvents();
    clock = new StepClock();
    served = new ServedModels(events, clock);
  });

  afterEach(() => served.onModuleDestroy());

  it('counts each asked/served pair, most frequent first, and says which route Google announced', () => {
    answer('gemini-2.5-pro', 'gemini-3.8-flash');
    answer('gemini-3.6-flash', 'gemini-3.8-flash');
    clock.t = 5_000;
    answer('gemini-2.5-pro', 'gemini-3.8-flash', 'key...fghij');
    expect(served.mismatches()).toEqual([
      {
        asked: 'gemini-2.5-pro',
        served: 'gemini-3.8-flash',
        count: 2,
        lastAt: 5_000,
        lastCredentialId: 'key...fghij',
        announcedSince: '2026-12-01',
      },
      {
        asked: 'gemini-3.6-flash',
        served: 'gemini-3.8-flash',
        count: 1,
        lastAt: 1_000,
        lastCredentialId: 'key...abcde',
        announcedSince: null,
      },
    ]);
  });

  it('keeps nothing when Google served the model asked for, or named no model', () => {
    answer('gemini-3.8-flash', 'gemini-3.8-flash');
    answer('gemini-2.5-flash', 'gemini-2.5-flash-001');
    answer('gemini-2.5-flash', 'not a\nmodel');
    expect(served.mismatches()).toEqual([]);
  });

  it('keeps at most MAX_MISMATCH_PAIRS pairs and counts the rest as overflow', () => {
    for (let i = 0; i < MAX_MISMATCH_PAIRS + 3; i++) answer(`gemini-x-${i}`, 'gemini-3.8-flash');
    answer('gemini-x-0', 'gemini-3.8-flash');
    expect(served.mismatches()).toHaveLength(MAX_MISMATCH_PAIRS);
    expect(served.mismatches()[0]).toMatchObject({ asked: 'gemini-x-0', count: 2 });
    expect(served.overflow).toBe(3);
  });

  it('stops listening when the module is destroyed', () => {
    served.onModuleDestroy();
    answer('gemini-2.5-pro', 'gemini-3.8-flash');
    expect(served.mismatches()).toEqual([]);
  });
});
