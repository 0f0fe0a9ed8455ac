import { EventEmitter } from 'node:events';
import { Credential } from '../credentials/credential';
import { CooldownKind } from '../credentials/pool-state-store';
import { RequestContext } from '../request/request-context';
import { Verdict } from './error-classifier';

/** One call to Google with one credential (a 401 refresh-and-retry stays inside one attempt). */
export interface AttemptEvent {
  credential: Credential;
  model: string;
  action: string;
  attempt: number;
  /** Until Google answered; for a stream, until its first event. */
  durationMs: number;
  outcome: 'success' | 'failure';
  verdict?: Verdict;
}

/** The client request that caused an event: the request log finds its record there. */
interface OfRequest {
  context: RequestContext;
}

/** One request's whole walk through the pool; for a stream, up to its first event. */
export interface DispatchEvent extends OfRequest {
  model: string;
  action: string;
  /** Credentials tried; more than one means the request failed over. */
  attempts: number;
  credentialId?: string;
  status: number;
  durationMs: number;
  /** Why the dispatch failed (Google's reason or the proxy's error kind); absent on success. */
  reason?: string;
}

export interface FirstTokenEvent extends OfRequest {
  model: string;
  credentialId: string;
  /** From the start of the dispatch (failovers included) to Google's first stream event. */
  ms: number;
}

export interface UsageEvent extends OfRequest {
  model: string;
  credentialId: string;
  prompt: number;
  completion: number;
  thoughts: number;
  /** Google's cachedContentTokenCount (part of `prompt`). */
  cached: number;
}

/** The model Google says it ran (`modelVersion`), reported once per answer that names one. */
export interface ServedEvent extends OfRequest {
  /** The model asked of Google (after aliases and variants). */
  model: string;
  credentialId: string;
  servedModel: string;
}

export interface RetryEvent {
  credentialId: string;
  model: string;
  /** Only the forced token refresh after a 401 retries on the same credential. */
  reason: 'token-refresh';
}

export interface CooldownEvent {
  credentialId: string;
  model: string;
  reason: string;
  kind: CooldownKind;
  until: number;
}

export interface DisableEvent {
  credentialId: string;
  reason: string;
}

export interface StreamEndEvent extends OfRequest {
  model: string;
  credentialId: string;
  /** `aborted`: the client went away; `error`: Google's stream failed after its first event. */
  outcome: 'complete' | 'error' | 'aborted';
  verdict?: Verdict;
}

/**
 * What the dispatcher observed, for metrics and request logs. Listeners run synchronously and
 * must be cheap: they sit on every request.
 */
export class UpstreamEvents extends EventEmitter<UpstreamEventMap> {}

export interface UpstreamEventMap {
  attempt: [AttemptEvent];
  dispatch: [DispatchEvent];
  firstToken: [FirstTokenEvent];
  usage: [UsageEvent];
  served: [ServedEvent];
  retry: [RetryEvent];
  cooldown: [CooldownEvent];
  disable: [DisableEvent];
  streamEnd: [StreamEndEvent];
}
