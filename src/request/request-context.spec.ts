import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { contextOfAnswer, RequestContext, requestContextOf } from './request-context';

function exchange() {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  return { req, res };
}

describe('RequestContext', () => {
  it('is made once per answer and kept on it as a plain property, not a symbol', () => {
    const { req, res } = exchange();
    const context = requestContextOf(req, res);
    expect(requestContextOf(req, res)).toBe(context);
    expect(contextOfAnswer(res)).toBe(context);
    expect(context.client).toBe(req);
    const own = (signal: AbortSignal) => Object.getOwnPropertySymbols(signal).map(String);
    expect(own(context.signal)).toEqual(own(new AbortController().signal));
    expect(Object.values(res)).toContain(context);
  });

  it('numbers the requests in arrival order', () => {
    const a = exchange();
    const b = exchange();
    const first = requestContextOf(a.req, a.res);
    const second = requestContextOf(b.req, b.res);
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('aborts its signal when the client leaves before the answer is complete', () => {
    const { req, res } = exchange();
    const { signal } = requestContextOf(req, res);
    res.emit('close');
    expect(signal.aborted).toBe(true);
  });

  it('leaves its signal alone when the answer was complete', () => {
    const { req, res } = exchange();
    const { signal } = requestContextOf(req, res);
    Object.defineProperty(res, 'writableFinished', { value: true });
    res.emit('close');
    expect(signal.aborted).toBe(false);
  });

  it('off HTTP, fires only when aborted', () => {
    const context = new RequestContext();
    expect(context.signal.aborted).toBe(false);
    context.abort();
    expect(context.signal.aborted).toBe(true);
  });
});
