import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../errors/api-error';
import { isRecord } from '../../json/is-record';
import { RequestContext } from '../../request/request-context';
import { jsonDepthWithin, MAX_EMBEDDED_JSON_DEPTH } from './json-depth';
import type { FetchedMedia } from './content-parts';
import { MEDIA_FETCHER, MediaFetcher } from './media-fetcher';
import { MEDIA_LIMITS, MediaLimits, RequestMedia } from './request-media';
import { SchemaBudget, SchemaError } from './schema-budget';
import { sanitizeSchema, Schema } from './schema-sanitizer';

export interface RequestRulesInit {
  fetcher: MediaFetcher;
  limits: MediaLimits;
  /** The client's: when it leaves, the fetches of its request stop. */
  signal?: AbortSignal;
  /** Media the earlier turns of a stored conversation fetched already, by URL. */
  storedMedia?: ReadonlyMap<string, FetchedMedia>;
}

/**
 * Everything one request may spend while it is translated, whatever its dialect: its media
 * fetches (how many, how large, how many at once, cancelled when the client leaves) and the
 * expansion of its tool schemas. Every request mapper takes one and fetches and sanitises only
 * through it, so a rule set here holds on every route that maps a request.
 */
export class RequestRules {
  readonly signal: AbortSignal | undefined;
  /** Made on the first URL: most requests name none, and its abort controller costs each of them. */
  private media?: RequestMedia;
  private readonly fetcher: MediaFetcher;
  private readonly limits: MediaLimits;
  /** Made on first use, as the maps below: most requests have no tool schema and no URL. */
  private schemas?: SchemaBudget;
  /** A URL named twice in one request is fetched (and counted) once. */
  private fetches?: Map<string, Promise<FetchedMedia>>;
  private fetched?: Map<string, FetchedMedia>;
  private readonly storedMedia?: ReadonlyMap<string, FetchedMedia>;

  constructor(init: RequestRulesInit) {
    this.signal = init.signal;
    this.fetcher = init.fetcher;
    this.limits = init.limits;
    this.storedMedia = init.storedMedia;
  }

  /** The media behind a URL of this request. */
  readonly fetchMedia = (url: string): Promise<FetchedMedia> => {
    const fetches = (this.fetches ??= new Map<string, Promise<FetchedMedia>>());
    let pending = fetches.get(url);
    if (!pending) {
      this.media ??= new RequestMedia(this.fetcher, this.limits, this.signal);
      pending = this.media.fetch(url);
      fetches.set(url, pending);
      pending.then(
        (media) => (this.fetched ??= new Map()).set(url, media),
        () => undefined,
      );
    }
    return pending;
  };

  /**
   * The media behind a URL of a stored turn: the earlier request of the conversation that named
   * it fetched it, and its turn keeps the bytes, so it is sent from there; fetched (under the same
   * limits) only when no turn holds it.
   */
  readonly fetchStoredMedia = (url: string): Promise<FetchedMedia> => {
    const known = this.storedMedia?.get(url);
    return known ? Promise.resolve(known) : this.fetchMedia(url);
  };

  /** What this request fetched, by URL, for its stored turn to keep. */
  fetchedMedia(): Record<string, FetchedMedia> {
    return this.fetched ? Object.fromEntries(this.fetched) : {};
  }

  /**
   * Tool-call arguments as clients send them: an object, or JSON text of one. Text escapes the
   * body's own depth limit, so its depth is checked before it is parsed; JSON nested past the
   * limit would overflow the stack of the upstream JSON.stringify.
   */
  toolArguments(raw: unknown, param: string): Record<string, unknown> {
    if (raw === undefined || raw === null || raw === '') return {};
    if (isRecord(raw)) return raw;
    if (typeof raw !== 'string')
      throw ApiError.badRequest(`${param} must be a JSON object.`, param);
    if (!jsonDepthWithin(raw)) {
      throw ApiError.badRequest(
        `${param} nests deeper than ${MAX_EMBEDDED_JSON_DEPTH} levels.`,
        param,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw ApiError.badRequest(`${param} is not valid JSON.`, param);
    }
    if (!isRecord(parsed)) throw ApiError.badRequest(`${param} must be a JSON object.`, param);
    return parsed;
  }

  /**
   * A tool's JSON schema → Gemini's subset, charged to the request's one budget. `param` names
   * the field in the client's dialect; a schema the proxy cannot translate is that field's 400.
   */
  toolSchema(schema: unknown, param: string): Schema | undefined {
    try {
      return sanitizeSchema(schema, (this.schemas ??= new SchemaBudget()));
    } catch (err) {
      if (err instanceof SchemaError) throw ApiError.badRequest(`${param}: ${err.message}`, param);
      throw err;
    }
  }
}

/** Rules over a plain fetch function with generous limits, for mappers run outside a route (specs). */
export function rulesOver(fetch: (url: string) => Promise<FetchedMedia>): RequestRules {
  return new RequestRules({
    fetcher: { fetchMedia: (url) => fetch(url) },
    limits: { maxUrls: 1_000, maxTotalBytes: 2 ** 40, concurrency: 8 },
  });
}

/** Creates the rules of each request from the configured fetcher and limits. */
@Injectable()
export class RequestRulesFactory {
  constructor(
    @Inject(MEDIA_FETCHER) private readonly fetcher: MediaFetcher,
    @Inject(MEDIA_LIMITS) private readonly limits: MediaLimits,
  ) {}

  /** When the request's client leaves, the fetches of its request stop. */
  forRequest(
    context: RequestContext,
    storedMedia?: ReadonlyMap<string, FetchedMedia>,
  ): RequestRules {
    const { fetcher, limits } = this;
    return new RequestRules({ fetcher, limits, signal: context.signal, storedMedia });
  }
}
