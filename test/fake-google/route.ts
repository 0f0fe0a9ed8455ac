import type { Accounts } from './accounts';
import type { FakeQuotas } from './quotas';
import type { ServiceAccounts } from './service-accounts';
import type { Exchange } from './exchange';
import type { GenerationDeps } from './generation';
import type { ApiName } from './types';

/** One matched endpoint: what the log calls it, and the handler that answers it. */
export interface Route {
  api: ApiName;
  action?: string;
  /** Upload bytes: the body is kept as bytes (`ex.raw`), never parsed as JSON. */
  raw?: boolean;
  run(ex: Exchange): Promise<void>;
}

export interface RouteTable {
  match(method: string, path: string): Route | undefined;
}

export interface RouteDeps extends GenerationDeps {
  accounts: Accounts;
  quotas: FakeQuotas;
  serviceAccounts: ServiceAccounts;
}

/** A status and JSON body, for handlers kept free of HTTP plumbing. */
export interface Answer {
  status: number;
  body: unknown;
}
