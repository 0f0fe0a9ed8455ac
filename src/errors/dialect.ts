import type { ApiError } from './api-error';

/**
 * How one client dialect reports a failure: the body and status its SDK reads, and the event that
 * ends a stream already started. The one error filter picks a dialect by route and writes with it.
 */
export interface Dialect {
  /** The error as this dialect's clients read it, with the status their SDK picks its error class from. */
  errorOf(error: ApiError, requestId?: string): { status: number; body: unknown };
  /** The error as the last event of a stream whose headers are sent. */
  streamErrorEvent(error: ApiError, requestId?: string): string;
  /** A header the dialect sends on every answer (Anthropic's `request-id`), made up when the route set none. */
  requestId?: { header: string; create(): string };
  /** What a 401 challenges with, when not the API routes' Bearer-or-Basic. */
  challenge?: string;
  /** A page rendered for browsers instead of the JSON body (the admin pages). */
  page?: { view: string; context: string };
}
