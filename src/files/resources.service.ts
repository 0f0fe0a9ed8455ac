import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../time/clock';
import { Credential } from '../credentials/credential';
import { ApiError } from '../errors/api-error';
import { JsonObject } from '../upstream/gemini-types';
import { ResourceCall } from '../upstream/upstream-backend';
import { ResourcePin } from '../upstream/resource-pin';
import { readText } from '../upstream/upstream-http';
import { relayInteractionEvents } from './interaction-stream';
import { Relayed } from './relayed';
import { ResourceCaller, Route, Served } from './resource-caller';
import { RESOURCE_TTL_MS, ResourceKind, ttlUntil } from './resource-names';
import { ResourceOwners } from './resource-owners';
import { decodeCursor, encodeCursor, forwardedQuery } from './resource-query';

/** The collections `GET /v1beta/{collection}` lists, with the field Google puts the items in. */
export const LISTS = {
  files: 'files',
  cachedContents: 'cachedContents',
  batches: 'operations',
} as const;
export type ListedKind = keyof typeof LISTS;

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
/** Cooldowns for calls that name no model are kept apart from every model's. */
const NO_MODEL = 'resources';
const MAX_PAGE_HOPS = 20;
/** Google's default page size for files and cached contents. */
const DEFAULT_PAGE_SIZE = 10;

/**
 * Google's stateful resources through the pool, passed through with every field kept: the
 * credential that creates one owns it, and every request naming it goes to that credential.
 */
@Injectable()
export class ResourcesService {
  private readonly logger = new Logger('Resources');

  constructor(
    private readonly caller: ResourceCaller,
    private readonly owners: ResourceOwners,
    private readonly clock: Clock,
  ) {}

  /** Every capable credential's items, one credential after another, paged with one token. */
  async list(
    kind: ListedKind,
    query: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Relayed> {
    const credentials = this.caller.listable();
    const cursor = decodeCursor(typeof query.pageToken === 'string' ? query.pageToken : undefined);
    if (!cursor) throw ApiError.badRequest('Invalid page token.');
    let index = cursor.credential ? credentials.findIndex((c) => c.id === cursor.credential) : 0;
    if (index < 0) throw ApiError.badRequest('Invalid page token: its credential left the pool.');
    let token = cursor.token;
    const field = LISTS[kind];
    const wanted = Math.min(Math.max(Number(query.pageSize) || DEFAULT_PAGE_SIZE, 1), 1000);
    const items: JsonObject[] = [];
    let next: string | undefined;
    // Credentials are read in turn until the page is full, so that no page but the last is empty
    // (a pager stops at an empty page) and no credential's items are skipped.
    for (let hop = 0; hop < MAX_PAGE_HOPS && index < credentials.length; hop++) {
      const credential = credentials[index];
      const pageQuery = { ...query, pageSize: String(wanted - items.length), pageToken: token };
      const page = await this.json(
        await this.caller.callOn(credential, NO_MODEL, {
          method: 'GET',
          target: `/v1beta/${kind}${forwardedQuery(pageQuery, token ? [] : ['pageToken'])}`,
          headers: {},
          signal,
        }),
      );
      const found = Array.isArray(page[field]) ? (page[field] as JsonObject[]) : [];
      for (const item of found) await this.learn(item, credential);
      items.push(...found);
      token = typeof page.nextPageToken === 'string' ? page.nextPageToken : undefined;
      if (!token) index++;
      next =
        index < credentials.length
          ? encodeCursor({ credential: credentials[index].id, token })
          : undefined;
      if (items.length >= wanted) break;
    }
    // A pager stops at an empty page: the cursor skips credentials with nothing left to list.
    while (
      next &&
      !token &&
      index < credentials.length &&
      !(await this.hasAny(kind, credentials[index], signal))
    ) {
      index++;
      next =
        index < credentials.length
          ? encodeCursor({ credential: credentials[index].id })
          : undefined;
    }
    return jsonAnswer({ [field]: items, ...(next ? { nextPageToken: next } : {}) });
  }

  private async hasAny(
    kind: ListedKind,
    credential: Credential,
    signal: AbortSignal,
  ): Promise<boolean> {
    const page = await this.json(
      await this.caller.callOn(credential, NO_MODEL, {
        method: 'GET',
        target: `/v1beta/${kind}?pageSize=1`,
        headers: {},
        signal,
      }),
    );
    return Array.isArray(page[LISTS[kind]]) && (page[LISTS[kind]] as unknown[]).length > 0;
  }

  /** GET, PATCH, DELETE or an action (`:cancel`) on one named resource, on its owner. */
  async onResource(
    name: string,
    method: ResourceCall['method'],
    query: Record<string, unknown>,
    body: unknown,
    signal: AbortSignal,
    action = '',
  ): Promise<Relayed> {
    const call = (): ResourceCall => ({
      method,
      target: `/v1beta/${name}${action}${forwardedQuery(query)}`,
      headers: body === undefined ? {} : JSON_TYPE,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const served = await this.onOwnerOf(name, call, signal);
    const text = await readText(served.response, signal);
    if (method === 'DELETE') await this.owners.forget(name);
    else await this.learnText(text, served.credential, name);
    return {
      status: served.response.status,
      headers: contentTypeOf(served),
      body: Buffer.from(text),
    };
  }

  /**
   * Creates a resource (a cached content, a batch, an interaction) on the owner of what the body
   * names, else on any capable credential, and records the new resource's owner.
   */
  async create(
    target: string,
    body: JsonObject,
    signal: AbortSignal,
    model = modelOf(body),
  ): Promise<Relayed> {
    const served = await this.caller.call(await this.routeFor(body, model), {
      method: 'POST',
      target,
      headers: JSON_TYPE,
      body: JSON.stringify(body),
      signal,
    });
    const text = await readText(served.response, signal);
    await this.learnText(text, served.credential);
    return { status: served.response.status, headers: JSON_TYPE, body: Buffer.from(text) };
  }

  /** A streamed interaction: Google's SSE bytes relayed as they come; its id read on the way. */
  async createStream(target: string, body: JsonObject, signal: AbortSignal): Promise<Relayed> {
    const served = await this.caller.call(await this.routeFor(body, modelOf(body)), {
      method: 'POST',
      target,
      headers: { ...JSON_TYPE, accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal,
    });
    const { response, credential } = served;
    const contentType = response.headers['content-type'];
    return {
      status: response.status,
      headers: {
        'content-type': typeof contentType === 'string' ? contentType : 'text/event-stream',
        'cache-control': 'no-cache',
      },
      body: relayInteractionEvents(response.body, response.timer, (id) =>
        this.owners
          .record(`interactions/${id}`, credential.id, RESOURCE_TTL_MS.interactions)
          .catch((error: unknown) =>
            this.logger.warn(`Could not record an interaction's owner: ${String(error)}`),
          ),
      ),
    };
  }

  /**
   * An upload call: the start (replayable metadata) on any capable credential, the bytes of a
   * session on the session's owner, a multipart or media body once (its bytes cannot be resent).
   */
  callForUpload(call: ResourceCall, replayable: boolean, pin?: ResourcePin): Promise<Served> {
    return this.caller.call(
      pin ? { pin, model: NO_MODEL } : { any: true, model: NO_MODEL, replayable },
      call,
    );
  }

  /** On the owner of what the body names, else on any capable credential. */
  private async routeFor(body: unknown, model: string): Promise<Route> {
    const pin = await this.owners.pinForAny(body);
    return pin ? { pin, model } : { any: true, model, replayable: true };
  }

  /**
   * The owner of a resource, or, for one the proxy has no record of (made before it kept records,
   * or by another client), each capable credential in turn until one can see it.
   */
  private async onOwnerOf(
    name: string,
    call: () => ResourceCall,
    signal: AbortSignal,
  ): Promise<Served> {
    const record = await this.owners.get(name);
    if (record)
      return this.caller.call(
        { pin: { resource: name, owner: record.owner }, model: NO_MODEL },
        call(),
      );
    let miss: ApiError | undefined;
    for (const credential of this.caller.capable()) {
      if (signal.aborted) break;
      try {
        return await this.caller.callOn(credential, NO_MODEL, call());
      } catch (error) {
        if (!(error instanceof ApiError) || (error.status !== 403 && error.status !== 404))
          throw error;
        miss = error;
      }
    }
    if (miss) throw miss;
    return this.caller.call({ any: true, model: NO_MODEL, replayable: false }, call());
  }

  private async json(served: Served): Promise<JsonObject> {
    const text = await readText(served.response, served.response.timer.signal);
    try {
      const value = JSON.parse(text) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value)
        ? (value as JsonObject)
        : {};
    } catch {
      return {};
    }
  }

  private async learnText(
    text: string,
    credential: Credential,
    fallbackName?: string,
  ): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      await this.learn(value as JsonObject, credential, fallbackName);
    }
  }

  /** Records the owner of the resource an answer describes (`name`, or an interaction's `id`). */
  async learn(item: JsonObject, credential: Credential, fallbackName?: string): Promise<void> {
    const file = item.file && typeof item.file === 'object' ? (item.file as JsonObject) : undefined;
    const source = file ?? item;
    const name =
      typeof source.name === 'string'
        ? source.name
        : typeof source.id === 'string' && isInteraction(source)
          ? `interactions/${source.id}`
          : fallbackName;
    if (!name) return;
    const kind = name.split('/')[0] as ResourceKind;
    if (!(kind in RESOURCE_TTL_MS)) return;
    // Google says when files (`expirationTime`) and caches (`expireTime`) go; a record lasts as long.
    const expiry = kind === 'files' ? source.expirationTime : source.expireTime;
    const ttl = ttlUntil(expiry, this.clock.now(), RESOURCE_TTL_MS[kind]);
    await this.owners.record(name, credential.id, ttl);
  }
}

function isInteraction(item: JsonObject): boolean {
  return 'steps' in item || 'outputs' in item || 'status' in item;
}

/** Google's own type: JSON, or SSE for `GET /v1beta/interactions/{id}?stream=true`. */
function contentTypeOf(served: Served): Record<string, string> {
  const type = served.response.headers['content-type'];
  return typeof type === 'string' ? { 'content-type': type } : JSON_TYPE;
}

/** The model a body names, for the cooldown Google's 429 on it sets; else the resources' own. */
function modelOf(body: JsonObject): string {
  return typeof body.model === 'string' ? body.model.replace(/^models\//, '') : NO_MODEL;
}

function jsonAnswer(body: unknown): Relayed {
  return { status: 200, headers: JSON_TYPE, body: Buffer.from(JSON.stringify(body)) };
}
