import { ApiError } from '../errors/api-error';
import type { FetchedMedia } from '../translation/common/content-parts';
import type { InputItem, OutputItem } from '../translation/responses/responses-types';
import { itemsOf, ResponseStore, StoredResponse } from './response-store';

/** Longest `previous_response_id` chain rebuilt for one request. */
export const MAX_CHAIN_TURNS = 1_000;
/** Most `item_reference` items in one request. */
export const MAX_ITEM_REFERENCES = 1_000;

export interface ChainLimits {
  /** The rebuilt conversation may not pass BODY_LIMIT: no more than a client could send itself. */
  maxBytes: number;
  maxBytesName: string;
}

/** The turns a `previous_response_id` continues, oldest first. */
export interface Chain {
  /** Their ids, newest first: the turns a new one keeps alive. */
  ids: string[];
  turns: StoredResponse[];
}

export function notFound(id: string): ApiError {
  return new ApiError({
    status: 404,
    kind: 'not_found',
    message: `No response with id '${id}' found (stored responses expire after RESPONSES_TTL_S).`,
    param: 'response_id',
  });
}

/** Walks the links from `id` back to the first turn, within the turn and byte bounds. */
export async function loadChain(
  store: ResponseStore,
  id: string | null | undefined,
  limits: ChainLimits,
): Promise<Chain> {
  const ids: string[] = [];
  const turns: StoredResponse[] = [];
  let bytes = 0;
  for (let next = id; next;) {
    if (ids.length === MAX_CHAIN_TURNS) {
      throw ApiError.badRequest(
        `previous_response_id continues a conversation of more than ${MAX_CHAIN_TURNS} stored responses, ` +
          "the proxy's limit; start a new conversation or send the history as input.",
        'previous_response_id',
      );
    }
    const found = await store.get(next);
    if (!found) {
      if (next === id) throw notFound(next);
      throw new ApiError({
        status: 404,
        kind: 'not_found',
        message: `Response '${next}', an earlier turn of '${id}', is no longer stored (stored responses expire after RESPONSES_TTL_S).`,
        param: 'previous_response_id',
      });
    }
    bytes += found.bytes;
    if (bytes > limits.maxBytes) {
      throw ApiError.badRequest(
        `The conversation previous_response_id continues is larger than ${limits.maxBytesName} ` +
          `(${limits.maxBytes} bytes); start a new conversation or send a shorter history as input.`,
        'previous_response_id',
      );
    }
    ids.push(next);
    turns.push(found.stored);
    next = found.stored.response.previous_response_id;
  }
  return { ids, turns: turns.reverse() };
}

/** Every item of the chain, in conversation order. */
export function chainItems(chain: Chain): InputItem[] {
  return chain.turns.flatMap((turn) => itemsOf(turn) as InputItem[]);
}

/** The media the chain's turns fetched, by URL. */
export function chainMedia(chain: Chain): Map<string, FetchedMedia> {
  const media = new Map<string, FetchedMedia>();
  for (const turn of chain.turns) {
    for (const [url, fetched] of Object.entries(turn.media ?? {})) media.set(url, fetched);
  }
  return media;
}

/**
 * `input` with each `item_reference` replaced by the item it names: first within the chain being
 * continued (its earliest holder), then among all stored responses (the response that stored
 * the id first). A client-chosen id reused elsewhere never takes a reference over.
 */
export async function resolveReferences(
  store: ResponseStore,
  input: InputItem[],
  chain: Chain,
): Promise<InputItem[]> {
  const wanted: string[] = [];
  input.forEach((item, i) => {
    if (item.type !== 'item_reference') return;
    if (typeof item.id !== 'string') {
      throw ApiError.badRequest(`input[${i}].id must be a string.`, `input[${i}].id`);
    }
    wanted.push(item.id);
  });
  if (wanted.length === 0) return input;
  if (wanted.length > MAX_ITEM_REFERENCES) {
    throw ApiError.badRequest(
      `input holds ${wanted.length} item_reference items; the proxy resolves at most ${MAX_ITEM_REFERENCES} per request.`,
      'input',
    );
  }
  const inChain = new Map<string, InputItem | OutputItem>();
  for (const item of chainItems(chain)) {
    if (typeof item.id === 'string' && !inChain.has(item.id)) inChain.set(item.id, item);
  }
  const missing = [...new Set(wanted.filter((id) => !inChain.has(id)))];
  const elsewhere = missing.length > 0 ? await store.findItems(missing) : new Map();
  return input.map((item, i) => {
    if (item.type !== 'item_reference') return item;
    const id = item.id as string;
    const found = inChain.get(id) ?? elsewhere.get(id);
    if (!found) {
      throw ApiError.badRequest(
        `input[${i}] references item ${JSON.stringify(id)}, which is not stored (store:false responses keep nothing).`,
        `input[${i}].id`,
      );
    }
    return found as InputItem;
  });
}
