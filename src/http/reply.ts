import type { ServerResponse } from 'node:http';
import { writeJson } from './json-response';
import { EventStreamOptions, writeEventStream } from './sse-writer';

/** What a service hands back for the edge to send: one JSON body, or a stream of frames. */
export type Reply =
  | { kind: 'json'; status?: number; body: unknown }
  /** JSON already serialised (Google's own answer, relayed). */
  | { kind: 'json-bytes'; body: Buffer }
  | { kind: 'stream'; frames: Promise<AsyncIterable<string>>; options: EventStreamOptions };

export async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  if (reply.kind === 'json') {
    writeJson(res, reply.status ?? 200, reply.body);
    return;
  }
  if (reply.kind === 'json-bytes') {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', reply.body.length);
    res.end(reply.body);
    return;
  }
  await writeEventStream(res, reply.frames, reply.options);
}
