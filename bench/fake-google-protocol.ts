/** The IPC messages between the benchmark and its fake Google process. */

export interface StreamWrites {
  /** Monotonic-clock ms of each `write` of one streamed answer, in order. */
  stamps: number[];
  /** The first bytes written, to tell which client stream this was. */
  text: string;
}

export interface BenchAccount {
  email: string;
  refreshToken: string;
  projectId: string;
}

export type FakeRequest = { id: number } & (
  | { type: 'addApiKeys'; keys: string[] }
  | { type: 'addOAuthAccounts'; accounts: BenchAccount[] }
  | { type: 'recordStreamWrites'; on: boolean }
  | { type: 'takeStreamWrites' }
);

export type FakeRequestBody = FakeRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

export interface FakeReply {
  type: 'reply';
  id: number;
  result?: unknown;
  error?: string;
}

export interface FakeReady {
  type: 'ready';
  url: string;
  env: Record<string, string>;
}
