import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Google's answer as the client gets it: status, the headers that matter, the bytes. */
export interface Relayed {
  status: number;
  headers: Record<string, string>;
  body: Buffer | AsyncIterable<Uint8Array>;
}

/** Writes a relayed answer; a client that hangs up ends the upstream read with it. */
export async function sendRelayed(res: ServerResponse, relayed: Relayed): Promise<void> {
  res.statusCode = relayed.status;
  for (const [name, value] of Object.entries(relayed.headers)) res.setHeader(name, value);
  if (Buffer.isBuffer(relayed.body)) {
    res.setHeader('content-length', relayed.body.length);
    res.end(relayed.body);
    return;
  }
  await pipeline(Readable.from(relayed.body), res).catch(() => undefined);
}
