import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ApiError } from '../errors/api-error';
import { requestContextOf } from '../request/request-context';
import { endUnfinished } from './final-answer';

function exchange() {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  return { req, res };
}

describe('endUnfinished', () => {
  it('cancels the upstream call of an answer the shutdown ends', () => {
    const { req, res } = exchange();
    const { signal } = requestContextOf(req, res);
    Object.defineProperty(res, 'headersSent', { value: true });
    endUnfinished(
      res,
      new ApiError({ status: 503, kind: 'internal', message: 'Shutting down' }),
      () => undefined,
    );
    expect(signal.aborted).toBe(true);
  });
});
