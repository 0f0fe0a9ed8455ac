import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../time/clock';
import { ServedEvent, UpstreamEvents } from '../upstream/upstream-events';
import { GOOGLE_ROUTES } from './model-catalogue';
import { modelNameProblem } from './model-names';

/** Asked/served pairs kept; Google re-routes a handful of IDs, so more means something odd. */
export const MAX_MISMATCH_PAIRS = 50;

// A pinned version of the model asked for (`-001`, `-09-2025`, `-05-20`) is the same model.
const VERSION_SUFFIX = /^-(\d{3}|\d{2}-\d{4}|\d{2}-\d{2})$/;

/**
 * Google's `modelVersion` as a bare model name, or undefined when it is not one: it is written
 * into the request log and onto `/admin`, so nothing but a model name of bounded length passes.
 */
export function servedModelName(raw: string): string | undefined {
  // Three listeners ask for each answer's, and Google names a handful of models: read each once.
  if (read.has(raw)) return read.get(raw);
  const name = raw.trim().replace(/^(publishers\/google\/)?models\//, '');
  const served = modelNameProblem(name) ? undefined : name;
  if (raw.length > 256) return served;
  if (read.size >= MAX_READ_NAMES) read.clear();
  read.set(raw, served);
  return served;
}

/** `modelVersion` values read, whatever Google sends: bounded, and cleared when full. */
const MAX_READ_NAMES = 256;
const read = new Map<string, string | undefined>();

/** Whether Google ran another model than the one asked for (a pinned version of it is not). */
export function isOtherModel(asked: string, served: string): boolean {
  if (served === asked) return false;
  return !(served.startsWith(asked) && VERSION_SUFFIX.test(served.slice(asked.length)));
}

export interface ModelMismatch {
  /** The model the proxy asked Google for (after aliases and variants). */
  asked: string;
  /** The model Google's answer says it ran. */
  served: string;
  count: number;
  lastAt: number;
  lastCredentialId: string;
  /** When Google announced this re-route, if it did (GOOGLE_ROUTES). */
  announcedSince: string | null;
}

/**
 * Counts, per asked/served pair, the answers Google served with another model than the one asked
 * for: users pay the served model's rate. Kept in this process since it started, bounded to
 * MAX_MISMATCH_PAIRS pairs; answers of pairs past the bound are only counted in `overflow`.
 */
@Injectable()
export class ServedModels implements OnModuleDestroy {
  private readonly pairs = new Map<string, ModelMismatch>();
  private overflowCount = 0;
  private readonly listener = (e: ServedEvent) => this.record(e);

  constructor(
    private readonly events: UpstreamEvents,
    private readonly clock: Clock,
  ) {
    events.on('served', this.listener);
  }

  onModuleDestroy(): void {
    this.events.off('served', this.listener);
  }

  /** The pairs seen, most frequent first. */
  mismatches(): ModelMismatch[] {
    return [...this.pairs.values()]
      .map((m) => ({ ...m }))
      .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
  }

  /** Mismatched answers not kept in `mismatches()` because the table was full. */
  get overflow(): number {
    return this.overflowCount;
  }

  private record(e: ServedEvent): void {
    const served = servedModelName(e.servedModel);
    if (!served || !isOtherModel(e.model, served)) return;
    const key = `${e.model}\n${served}`;
    const now = this.clock.now();
    const known = this.pairs.get(key);
    if (known) {
      known.count += 1;
      known.lastAt = now;
      known.lastCredentialId = e.credentialId;
      return;
    }
    if (this.pairs.size >= MAX_MISMATCH_PAIRS) {
      this.overflowCount += 1;
      return;
    }
    const route = GOOGLE_ROUTES.get(e.model);
    this.pairs.set(key, {
      asked: e.model,
      served,
      count: 1,
      lastAt: now,
      lastCredentialId: e.credentialId,
      announcedSince: route?.servedAs === served ? route.since : null,
    });
  }
}
