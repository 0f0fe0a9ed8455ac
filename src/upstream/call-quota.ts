import { RequestContext } from '../request/request-context';
import type { Credential } from '../credentials/credential';
import type { Selection } from '../credentials/credential-pool';
import type { ApiError } from '../errors/api-error';
import type { ResourcePin } from './resource-pin';

/** A request's conversation, as a hash: neither session ids nor prompt text are kept. */
export interface Conversation {
  key: string;
  /** An agent's session, or a turn after the first: worth sending where the last turn went. */
  continues: boolean;
}

/** What the quota router needs to know of one request. */
export interface QuotaRequest {
  model: string;
  /** Input tokens, estimated before Google counts them. */
  tokens: number;
  /** The conversation the request belongs to, when known. */
  conversation?: Conversation;
  /** When the attempt under way was counted (set by `select`), to uncount it on a 429. */
  countedAt?: number;
}

export type QuotaSelection = Selection | { outcome: 'quota-full'; error: ApiError };

/** Chooses among the credentials not in `exclude`, `prefer` first when it is eligible. */
export type Choose = (exclude: ReadonlySet<string>, prefer?: string) => Selection;

/**
 * Asks Google for a Code Assist account's quota (`v1internal:retrieveUserQuota`) on behalf of a
 * request for `model`. It throws `AccountUnreachable` when no access token could be had: that is
 * the account's passing fault (already recorded by the reader), not an answer about its quota.
 */
export type UserQuotaReader = (credential: Credential, model: string) => Promise<unknown>;

/** The account's token could not be had while its quota was asked (a hanging token endpoint). */
export class AccountUnreachable extends Error {}

/**
 * What the dispatcher asks of quota-aware selection. quota/ implements it (QuotaRouter) and binds
 * it to CALL_QUOTA, so the dispatcher never imports quota/ and quota/ may read upstream's errors.
 */
export interface CallQuota {
  useUserQuotaReader(reader: UserQuotaReader): void;
  requestOf(
    action: string,
    req: { model: string; body: unknown; context: RequestContext },
    payload: string | undefined,
  ): QuotaRequest | undefined;
  select(
    request: QuotaRequest | undefined,
    choose: Choose,
    pin?: ResourcePin,
  ): Promise<QuotaSelection>;
  served(credential: Credential, request: QuotaRequest | undefined): void;
  usage(credentialId: string, request: QuotaRequest, promptTokens: number): void;
  failed(credential: Credential, request: QuotaRequest | undefined, error: unknown): Promise<void>;
}

export const CALL_QUOTA = Symbol('CALL_QUOTA');
