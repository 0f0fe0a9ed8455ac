import { ApiError } from '../errors/api-error';

/** Google's `ListModels`: 50 a page when `pageSize` is absent or 0, never more than 1,000. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1_000;

export interface ModelPage<T> {
  models: T[];
  /** Absent on the last page, as Google leaves it out. */
  nextPageToken?: string;
}

/**
 * One page of the list, from the raw query values. The token is opaque to clients; it names the
 * offset, so a list that changed between pages (a live list refreshed) skips or repeats nothing
 * worse than Google's own would.
 */
export function pageOfModels<T>(
  models: readonly T[],
  pageSize: string | undefined,
  pageToken: string | undefined,
): ModelPage<T> {
  const size = parsePageSize(pageSize);
  const start = pageToken ? parsePageToken(pageToken) : 0;
  const end = start + size;
  const page: ModelPage<T> = { models: models.slice(start, end) };
  if (end < models.length) page.nextPageToken = pageTokenFor(end);
  return page;
}

function parsePageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,9}$/.test(raw))
    throw invalidArgument(`Invalid value at 'page_size' (TYPE_INT32), "${shorten(raw)}"`);
  const size = Number(raw);
  return size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

function pageTokenFor(offset: number): string {
  return Buffer.from(`models:${offset}`).toString('base64url');
}

function parsePageToken(token: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(token)
    ? Buffer.from(token, 'base64url').toString('latin1')
    : '';
  const match = /^models:(\d{1,9})$/.exec(text);
  if (!match || pageTokenFor(Number(match[1])) !== token) {
    throw invalidArgument(
      'Invalid page token: pass the nextPageToken of an earlier list, unchanged.',
    );
  }
  return Number(match[1]);
}

function invalidArgument(message: string): ApiError {
  return new ApiError({
    status: 400,
    kind: 'invalid_request',
    message,
    googleStatus: 'INVALID_ARGUMENT',
  });
}

function shorten(text: string): string {
  return text.length > 32 ? `${text.slice(0, 29)}...` : text;
}
