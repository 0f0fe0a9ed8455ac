import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { RequestContext, requestContextOf } from '../request/request-context';
import { UpstreamEvents } from '../upstream/upstream-events';
import { CompletedRequest } from './request-record';
import { RequestTracker } from './request-tracker';

/** A request as the tracking middleware sees it, with the context its route would get. */
function arriving(tracker: RequestTracker) {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  const res = new ServerResponse(req);
  tracker.track(req, res, () => undefined);
  return { res, context: requestContextOf(req, res) };
}

describe('RequestTracker', () => {
  let events: UpstreamEvents;
  let tracker: RequestTracker;
  let done: CompletedRequest[];

  beforeEach(() => {
    events = new UpstreamEvents();
    tracker = new RequestTracker(events);
    done = [];
    tracker.onComplete((r) => done.push(r));
  });

  afterEach(() => tracker.onModuleDestroy());

  it('puts each upstream event on the record of the request whose context it carries', () => {
    const first = arriving(tracker);
    const second = arriving(tracker);
    const model = 'gemini-2.5-flash';
    events.emit('dispatch', {
      context: second.context,
      model,
      action: 'streamGenerateContent',
      attempts: 2,
      credentialId: 'key...bbbbb',
      status: 200,
      durationMs: 5,
    });
    events.emit('firstToken', {
      context: second.context,
      model,
      credentialId: 'key...bbbbb',
      ms: 7,
    });
    events.emit('usage', {
      context: first.context,
      model,
      credentialId: 'key...aaaaa',
      prompt: 3,
      completion: 4,
      thoughts: 0,
      cached: 0,
    });
    events.emit('streamEnd', {
      context: second.context,
      model,
      credentialId: 'key...bbbbb',
      outcome: 'complete',
    });
    first.res.emit('close');
    second.res.emit('close');

    expect(done[0]).toMatchObject({ attempts: 0, tokens: { prompt: 3, completion: 4 } });
    expect(done[0].model).toBeUndefined();
    expect(done[1]).toMatchObject({
      model,
      credentialId: 'key...bbbbb',
      attempts: 2,
      firstTokenMs: 7,
      stream: 'complete',
    });
    expect(done[1].tokens).toBeUndefined();
  });

  it('ignores events of calls made outside any tracked request', () => {
    const tracked = arriving(tracker);
    events.emit('usage', {
      context: new RequestContext(),
      model: 'gemini-2.5-flash',
      credentialId: 'key...aaaaa',
      prompt: 3,
      completion: 4,
      thoughts: 0,
      cached: 0,
    });
    tracked.res.emit('close');
    expect(done[0].tokens).toBeUndefined();
  });
});
