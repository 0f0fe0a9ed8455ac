import { EventEmitter } from 'node:events';
import { Credential } from '../credentials/credential';
import { Verdict } from './error-classifier';

export interface AttemptEvent {
  credential: Credential;
  model: string;
  action: string;
  attempt: number;
  durationMs: number;
  outcome: 'success' | 'failure';
  verdict?: Verdict;
}

export interface DispatchEvent {
  model: string;
  action: string;
  attempts: number;
  credentialId?: string;
  status: number;
  durationMs: number;
}

/**
 * What the dispatcher observed, for metrics and request logs. Listeners run synchronously and
 * must be cheap: they sit on every request.
 */
export class UpstreamEvents extends EventEmitter<{
  attempt: [AttemptEvent];
  dispatch: [DispatchEvent];
  firstToken: [{ model: string; credentialId: string; ms: number }];
  usage: [{ model: string; prompt: number; completion: number; thoughts: number }];
}> {}
