import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  DispatchEvent,
  FirstTokenEvent,
  ServedEvent,
  StreamEndEvent,
  UpstreamEvents,
  UsageEvent,
} from '../upstream/upstream-events';
import { servedModelName } from '../models/served-models';
import { contextOfAnswer, requestContextOf } from '../request/request-context';
import { RequestRecord } from '../request/request-record';
import { CompletedRequest } from './request-record';

type Next = (error?: unknown) => void;

/** The parts of an Express request the tracker reads, without importing Express here. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  path?: string;
  route?: { path?: unknown };
  body?: unknown;
  params?: Record<string, unknown>;
}

/**
 * Follows every HTTP request from arrival to the moment its socket is done with it: it keeps the
 * request's record on its context, where dispatcher events find it (they carry the context), hands
 * completed records to the log and metrics, and knows what is still in flight when the process
 * is asked to stop.
 *
 * Not an AsyncLocalStorage: on Node 20 its promise hooks run on every promise of every request,
 * about 5 % of a request's CPU with the garbage they leave (docs/performance.md, 2026-11-30).
 */
@Injectable()
export class RequestTracker implements OnModuleDestroy {
  private readonly active = new Set<ServerResponse>();
  private readonly listeners: ((request: CompletedRequest) => void)[] = [];
  private readonly idleWaiters = new Set<() => void>();
  private onSettled?: () => void;
  private readonly unsubscribe: () => void;

  constructor(events: UpstreamEvents) {
    const onDispatch = (e: DispatchEvent) => {
      const record = e.context.record;
      if (!record) return;
      record.model = e.model;
      if (e.credentialId) record.credentialId = e.credentialId;
      record.attempts += e.attempts;
      if (e.reason) record.errorReason = e.reason;
    };
    const onFirstToken = (e: FirstTokenEvent) => {
      const record = e.context.record;
      if (record && record.firstTokenMs === undefined) record.firstTokenMs = e.ms;
    };
    const onUsage = (e: UsageEvent) => {
      const record = e.context.record;
      if (!record) return;
      const t = (record.tokens ??= { prompt: 0, completion: 0, thoughts: 0, cached: 0 });
      t.prompt += e.prompt;
      t.completion += e.completion;
      t.thoughts += e.thoughts;
      t.cached += e.cached;
    };
    const onServed = (e: ServedEvent) => {
      const record = e.context.record;
      const served = record && servedModelName(e.servedModel);
      if (served) record.servedModel = served;
    };
    const onStreamEnd = (e: StreamEndEvent) => {
      const record = e.context.record;
      if (record && record.stream !== 'error') record.stream = e.outcome;
    };
    events.on('dispatch', onDispatch);
    events.on('firstToken', onFirstToken);
    events.on('usage', onUsage);
    events.on('served', onServed);
    events.on('streamEnd', onStreamEnd);
    this.unsubscribe = () => {
      events.off('dispatch', onDispatch);
      events.off('firstToken', onFirstToken);
      events.off('usage', onUsage);
      events.off('served', onServed);
      events.off('streamEnd', onStreamEnd);
    };
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /** Requests whose answer has not finished yet. */
  get inFlight(): number {
    return this.active.size;
  }

  onComplete(listener: (request: CompletedRequest) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Names the client key that authenticated the request, for its usage row. */
  setClient(res: ServerResponse, client: string): void {
    const record = contextOfAnswer(res)?.record;
    if (record) record.client = client;
  }

  /** Responses not finished yet, for the shutdown to answer once its grace period is over. */
  unfinished(): ServerResponse[] {
    return [...this.active];
  }

  /**
   * Starts a request's record (RequestTrackingMiddleware calls it for every request, refused ones
   * too).
   */
  readonly track = (req: RoutedRequest, res: ServerResponse, next: Next): void => {
    // Bound to every path, the tracking middleware may itself be a catch-all route: a request
    // still carrying that route when it ends matched none of the proxy's.
    const mount = req.route;
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      route: '',
      startedAt: performance.now(),
      attempts: 0,
    };
    this.active.add(res);
    requestContextOf(req, res).record = record;
    if (this.onSettled) res.setHeader('connection', 'close');
    // `on`, not `once`: a response closes once, and once() wraps every listener in another.
    res.on('close', () => this.complete(req, res, record, mount));
    next();
  };

  /**
   * Stops keeping connections alive and calls `onSettled` each time a request finishes (the
   * server closes the connections that became idle then).
   */
  beginDrain(onSettled: () => void): void {
    this.onSettled = onSettled;
    for (const res of this.active) if (!res.headersSent) res.setHeader('connection', 'close');
  }

  /** Resolves with the number still in flight once none is, or when `timeoutMs` has passed. */
  whenIdle(timeoutMs: number): Promise<number> {
    if (this.active.size === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve(this.active.size);
      };
      const timer = setTimeout(done, timeoutMs);
      this.idleWaiters.add(done);
    });
  }

  private complete(
    req: RoutedRequest,
    res: ServerResponse,
    record: RequestRecord,
    mount: RoutedRequest['route'],
  ): void {
    this.active.delete(res);
    record.route = req.route === mount ? 'unmatched' : routeOf(req);
    const completed: CompletedRequest = Object.assign(record, {
      status: res.statusCode,
      durationMs: performance.now() - record.startedAt,
      aborted: !res.writableFinished,
      requestId: headerText(res.getHeader('request-id')),
      requestedModel: requestedModelOf(req),
    });
    for (const listener of this.listeners) listener(completed);
    this.onSettled?.();
    if (this.active.size === 0) for (const done of [...this.idleWaiters]) done();
  }
}

function headerText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The model the client asked for: the body's `model` (OpenAI, Responses, Anthropic) or the
 * native path's `{model}:{action}`. Read at the end, once the body guard has parsed the body.
 */
function requestedModelOf(req: RoutedRequest): string | undefined {
  const model = (req.body as { model?: unknown } | undefined)?.model;
  if (typeof model === 'string') return model.slice(0, 200);
  const action = req.params?.modelAction;
  if (typeof action === 'string') {
    const colon = action.indexOf(':');
    return (colon === -1 ? action : action.slice(0, colon)).slice(0, 200);
  }
  return undefined;
}

/** The matched route's template; unmatched paths collapse into one label so metrics stay bounded. */
function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl ?? ''}${path}` || '/';
  return 'unmatched';
}
