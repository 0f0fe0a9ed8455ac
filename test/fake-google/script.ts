import type { Exchange } from './exchange';
import { defaultErrorMessage, googleError, type ErrorBodyFactory } from './google-errors';
import {
  bareModel,
  type CallContext,
  type Fault,
  type FaultMatch,
  type HttpFault,
  type Match,
  type ScriptedAnswer,
} from './types';

/** Calls a fault or answer applies to when its match names no action. */
const MODEL_ACTIONS = new Set([
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
  'predict',
]);

interface Entry<T> {
  value: T;
  match: Match;
  remaining: number;
}

/**
 * The FIFO queues of scripted answers and faults, each entry used up by the calls it matches, and
 * the models Google silently answers with another one (until cleared).
 */
export class Script {
  private readonly answers: Entry<ScriptedAnswer>[] = [];
  private readonly faults: Entry<Fault>[] = [];
  private readonly routes = new Map<string, string>();

  routeModel(asked: string, servedAs: string): void {
    this.routes.set(bareModel(asked), bareModel(servedAs));
  }

  /** The model a default answer names in `modelVersion`: the one asked for unless re-routed. */
  servedAs(model: string): string {
    return this.routes.get(model) ?? model;
  }

  enqueue(answer: ScriptedAnswer, match: Match = {}): void {
    this.answers.push({ value: answer, match, remaining: 1 });
  }

  failNext(fault: Fault, { times = 1, ...match }: FaultMatch = {}): void {
    // A copy per call: a `gather` counts the calls of this entry only.
    this.faults.push({ value: { ...fault }, match, remaining: times });
  }

  takeAnswer(call: CallContext): ScriptedAnswer | undefined {
    return take(this.answers, call);
  }

  takeFault(call: CallContext): Fault | undefined {
    return take(this.faults, call);
  }

  clear(): void {
    this.answers.length = 0;
    this.faults.length = 0;
    this.routes.clear();
  }
}

function take<T>(queue: Entry<T>[], call: CallContext): T | undefined {
  if (queue.length === 0) return undefined;
  const index = queue.findIndex((entry) => matches(entry.match, call));
  if (index < 0) return undefined;
  const entry = queue[index];
  entry.remaining -= 1;
  if (entry.remaining <= 0) queue.splice(index, 1);
  return entry.value;
}

function matches(match: Match, call: CallContext): boolean {
  if (match.action !== undefined ? match.action !== call.action : !isModelCall(call)) return false;
  if (match.model !== undefined && bareModel(match.model) !== call.model) return false;
  return match.credential === undefined || match.credential === call.credential;
}

function isModelCall(call: CallContext): boolean {
  return call.action !== undefined && MODEL_ACTIONS.has(call.action);
}

/**
 * Consults the fault queue for a call whose caller is known. Returns false when the fault answered
 * (or will never answer); true when the route should go on (after a slow first byte, or armed to
 * cut its answer short).
 */
export async function applyFault(ex: Exchange, script: Script, call: CallContext) {
  const fault = script.takeFault(call);
  if (!fault) return true;
  if ('status' in fault) {
    if (fault.gather) {
      if (!(await gather(ex, fault, fault.gather))) return false;
    } else if (fault.delayMs && !(await ex.sleep(fault.delayMs))) return false;
    ex.json(fault.status, faultBody(fault, call), fault.headers);
    return false;
  }
  switch (fault.kind) {
    case 'slowFirstByte':
      return ex.sleep(fault.ms);
    case 'cutMidStream':
      ex.cutAfterEvents = Math.max(0, fault.afterEvents);
      return true;
    case 'slowStream':
      ex.streamPace = { events: fault.events, intervalMs: fault.intervalMs };
      return true;
    case 'stallMidStream':
      ex.stallAfterEvents = Math.max(1, fault.afterEvents);
      return true;
    case 'hang':
      // Never answered: the client's abort or close() ends it.
      return false;
  }
}

/** Calls held by a `gather` fault, per fault entry, until the last one arrives. */
const gatherings = new WeakMap<HttpFault, { arrived: number; all: Promise<void>; go(): void }>();
const GATHER_LIMIT_MS = 5_000;

async function gather(ex: Exchange, fault: HttpFault, count: number): Promise<boolean> {
  let gathering = gatherings.get(fault);
  if (!gathering) {
    let go = () => {};
    const all = new Promise<void>((resolve) => (go = resolve));
    gathering = { arrived: 0, all, go };
    gatherings.set(fault, gathering);
  }
  gathering.arrived += 1;
  if (gathering.arrived >= count) gathering.go();
  return ex.sleep(fault.delayMs ?? GATHER_LIMIT_MS, gathering.all);
}

function faultBody(fault: HttpFault, call: CallContext): unknown {
  if (typeof fault.body === 'function') return (fault.body as ErrorBodyFactory)(call);
  return fault.body ?? googleError(fault.status, defaultErrorMessage(fault.status));
}
