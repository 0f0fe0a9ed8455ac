import { createServer, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminDialect } from '../admin/admin-dialect';
import { ApiError } from '../errors/api-error';
import type { Dialect } from '../errors/dialect';
import { sendError } from '../http/error-response';
import { anthropicDialect } from '../translation/anthropic/errors';
import { openAIDialect } from '../translation/openai/errors';
import { responsesDialect } from '../translation/responses/errors';

/** Answers every request with `answer`, on a real server, and returns what the client saw. */
async function answered(answer: (res: ServerResponse) => void) {
  const server: Server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return { status: res.status, headers: res.headers, text: await res.text() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const failure = (
  status: number,
  kind: ApiError['kind'],
  extra: { retryAfterSeconds?: number } = {},
) => new ApiError({ status, kind, message: 'went wrong', ...extra });

/** Sends the error after a stream has started, as the filter meets it then. */
const midStream = (dialect: Dialect, error: ApiError) => (res: ServerResponse) => {
  res.setHeader('content-type', 'text/event-stream');
  res.write(': started\n\n');
  sendError(res, dialect, error);
};

describe('sendError in a dialect', () => {
  it('answers Anthropic clients with its status, error type and a request-id it makes up', async () => {
    const got = await answered((res) => sendError(res, anthropicDialect, failure(503, 'upstream')));
    const id = got.headers.get('request-id');
    expect([got.status, id?.startsWith('req_')]).toEqual([529, true]);
    expect(JSON.parse(got.text)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'went wrong' },
      request_id: id,
    });
  });

  it('sets Retry-After from the error on an OpenAI answer', async () => {
    const error = failure(429, 'rate_limited', { retryAfterSeconds: 7 });
    const got = await answered((res) => sendError(res, openAIDialect, error));
    expect([got.status, got.headers.get('retry-after')]).toEqual([429, '7']);
  });

  it('challenges for Basic auth with the admin realm on /admin', async () => {
    const got = await answered((res) =>
      sendError(res, adminDialect, failure(401, 'authentication')),
    );
    expect(got.headers.get('www-authenticate')).toBe(
      'Basic realm="Gemini proxy admin", charset="UTF-8"',
    );
  });

  it('ends a started OpenAI stream with the error as a data line', async () => {
    const got = await answered(midStream(openAIDialect, failure(500, 'internal')));
    expect(got.text).toBe(
      ': started\n\ndata: {"error":{"message":"went wrong","type":"server_error","param":null,"code":null}}\n\n',
    );
  });

  it("ends a started Responses stream with the Responses API's error event", async () => {
    const got = await answered(midStream(responsesDialect, failure(500, 'internal')));
    expect(got.text).toBe(
      ': started\n\nevent: error\ndata: {"type":"error","code":null,"message":"went wrong","param":null}\n\n',
    );
  });

  it('ends a started Anthropic stream with an error event', async () => {
    const got = await answered(midStream(anthropicDialect, failure(429, 'rate_limited')));
    expect(got.text).toMatch(
      /^: started\n\nevent: error\ndata: \{"type":"error","error":\{"type":"rate_limit_error"/,
    );
  });
});
