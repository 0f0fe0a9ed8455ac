import * as path from 'node:path';
import type { FakeGoogleOptions } from '../test/fake-google/fake-google';
import { Child, Children, whenReady } from './children';
import type {
  BenchAccount,
  FakeReady,
  FakeReply,
  FakeRequestBody,
  StreamWrites,
} from './fake-google-protocol';

/** The benchmark's handle on a fake Google running in its own process (fake-google-server.ts). */
export class FakeGoogleProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();

  private constructor(
    readonly child: Child,
    readonly url: string,
    /** CODE_ASSIST_ENDPOINT, GEMINI_API_ENDPOINT, GOOGLE_OAUTH_TOKEN_URL … for the proxy. */
    readonly env: Record<string, string>,
  ) {
    child.process.on('message', (message: FakeReply) => {
      if (message?.type !== 'reply') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`fake Google: ${message.error}`));
      else waiter.resolve(message.result);
    });
    void child.exited.then(() => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${child.name} exited`));
      this.pending.clear();
    });
  }

  static async start(
    children: Children,
    name: string,
    options: FakeGoogleOptions,
    workDir: string,
  ): Promise<FakeGoogleProcess> {
    const child = children.spawnTs(name, 'fake-google-server.ts', {
      env: { ...process.env, BENCH_FAKE_OPTIONS: JSON.stringify(options) },
      logFile: path.join(workDir, `${name}.log`),
    });
    const ready = await whenReady<FakeReady>(child, 30_000);
    return new FakeGoogleProcess(child, ready.url, ready.env);
  }

  addApiKeys(keys: string[]): Promise<void> {
    return this.call({ type: 'addApiKeys', keys }) as Promise<void>;
  }

  addOAuthAccounts(accounts: BenchAccount[]): Promise<void> {
    return this.call({ type: 'addOAuthAccounts', accounts }) as Promise<void>;
  }

  /** Starts (or stops) stamping stream events as they leave; clears earlier stamps. */
  recordStreamWrites(on: boolean): Promise<void> {
    return this.call({ type: 'recordStreamWrites', on }) as Promise<void>;
  }

  takeStreamWrites(): Promise<StreamWrites[]> {
    return this.call({ type: 'takeStreamWrites' }) as Promise<StreamWrites[]>;
  }

  private call(body: FakeRequestBody): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.process.send({ ...body, id }, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }
}
