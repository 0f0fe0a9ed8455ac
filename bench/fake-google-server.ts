/**
 * The fake Google in a process of its own, so that the model's CPU time is not taken from the
 * load generator. Driven over IPC by `FakeGoogleProcess` (fake-google-process.ts).
 *
 * For the streaming figures it can note when each stream event leaves the fake: it wraps
 * `ServerResponse.write` of `streamGenerateContent` answers and stamps each call on the
 * monotonic clock, which every process on the machine shares. The client stamps the same events
 * on arrival, so arrival minus departure is the event's latency, direct or through the proxy.
 */
import { ServerResponse } from 'node:http';
import {
  FakeGoogle,
  type FakeGoogleOptions,
  type OAuthAccountInput,
} from '../test/fake-google/fake-google';
import type { FakeRequest, FakeReply, StreamWrites } from './fake-google-protocol';
import { monotonicMs } from './stats';

const MAX_TEXT = 16 * 1024;

let recording = false;
const writes = new Map<ServerResponse, StreamWrites>();

const originalWrite = ServerResponse.prototype.write;
ServerResponse.prototype.write = function write(
  this: ServerResponse,
  chunk: unknown,
  ...rest: unknown[]
) {
  if (recording && this.req?.url?.includes('streamGenerateContent')) {
    const at = monotonicMs();
    let entry = writes.get(this);
    if (!entry) writes.set(this, (entry = { stamps: [], text: '' }));
    entry.stamps.push(at);
    if (entry.text.length < MAX_TEXT)
      entry.text += typeof chunk === 'string' ? chunk : String(chunk);
  }
  return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof originalWrite;

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_FAKE_OPTIONS ?? '{}') as FakeGoogleOptions;
  const fake = await FakeGoogle.start({ ...options, record: false });
  const close = () => void fake.close().finally(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);

  process.on('message', (request: FakeRequest) => {
    const reply = (result?: unknown, error?: string) =>
      process.send?.({ type: 'reply', id: request.id, result, error } satisfies FakeReply);
    try {
      switch (request.type) {
        case 'addApiKeys':
          for (const key of request.keys) fake.addApiKey(key);
          return reply();
        case 'addOAuthAccounts':
          for (const account of request.accounts as OAuthAccountInput[])
            fake.addOAuthAccount(account);
          return reply();
        case 'recordStreamWrites':
          recording = request.on;
          writes.clear();
          return reply();
        case 'takeStreamWrites': {
          const taken = [...writes.values()];
          writes.clear();
          return reply(taken);
        }
      }
    } catch (error) {
      reply(undefined, error instanceof Error ? error.message : String(error));
    }
  });
  process.send?.({ type: 'ready', url: fake.url, env: fake.env() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
