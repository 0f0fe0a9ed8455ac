import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Accounts } from './accounts';
import { CodeAssistRoutes } from './code-assist-routes';
import { Exchange, type Lifecycle } from './exchange';
import { FakeResources } from './fake-resources';
import { GeminiApiRoutes } from './gemini-api-routes';
import { OAuthRoutes } from './oauth-routes';
import { FakeQuotas, type QuotaSetup } from './quotas';
import { Recorder } from './recorder';
import { parseBody, readBody } from './request-body';
import type { Route, RouteDeps, RouteTable } from './route';
import { Script } from './script';
import {
  ServiceAccounts,
  type ServiceAccountInput,
  type ServiceAccountKey,
} from './service-accounts';
import { ResourceRoutes } from './resource-routes';
import { VertexRoutes } from './vertex-routes';
import type {
  AccountSetup,
  ApiName,
  Fault,
  FaultMatch,
  FakeGoogleOptions,
  Match,
  OAuthAccountInput,
  RecordedRequest,
  ResolvedOptions,
  ScriptedAnswer,
} from './types';

export type {
  AccountSetup,
  Fault,
  FaultMatch,
  FakeGoogleOptions,
  Match,
  OAuthAccountInput,
  RecordedRequest,
  ScriptedAnswer,
};
export type { GeminiResponse } from './types';
export type { ServiceAccountInput, ServiceAccountKey };

/**
 * A real HTTP server on 127.0.0.1 that speaks Google's OAuth, Code Assist and Gemini API wire
 * formats, for end-to-end tests and the benchmark. The app finds it only through `env()`.
 */
export class FakeGoogle {
  /** Every call received, in arrival order (empty when started with `record: false`). */
  readonly requests: RecordedRequest[];
  private readonly lifecycle: Lifecycle = { closing: false };
  private readonly server: Server;
  private readonly accounts: Accounts;
  private readonly serviceAccounts: ServiceAccounts;
  private readonly script = new Script();
  private readonly quotas = new FakeQuotas();
  private readonly recorder: Recorder;
  private readonly routes: RouteTable[];
  /** Files, cached contents, batches and interactions, each owned by the key that made it. */
  readonly resources = new FakeResources();
  private origin = '';
  private closed: Promise<void> | undefined;

  private constructor(options: ResolvedOptions) {
    this.accounts = new Accounts(options.accessTokenTtlSeconds);
    this.serviceAccounts = new ServiceAccounts(options.accessTokenTtlSeconds);
    this.recorder = new Recorder(options.record);
    this.requests = this.recorder.requests;
    const deps: RouteDeps = {
      accounts: this.accounts,
      serviceAccounts: this.serviceAccounts,
      script: this.script,
      quotas: this.quotas,
      options,
      resources: this.resources,
    };
    this.routes = [
      new ResourceRoutes({ ...deps, resources: this.resources, origin: () => this.origin }),
      new CodeAssistRoutes(deps),
      new GeminiApiRoutes(deps),
      new VertexRoutes(deps),
      new OAuthRoutes(deps),
    ];
    // Google's front ends keep an idle connection for minutes; Node's 5 s default let the fake
    // close a pooled socket just as the proxy reused it on a loaded box (a POST that died with
    // ECONNRESET before Google saw it). Longer than the proxy's 60 s, as a server's should be.
    this.server = createServer(
      { noDelay: true, keepAliveTimeout: 65_000 },
      (req, res) => void this.handle(req, res),
    );
  }

  static async start(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
    const fake = new FakeGoogle({
      latencyMs: options.latencyMs ?? 0,
      streamEvents: options.streamEvents ?? 3,
      streamIntervalMs: options.streamIntervalMs ?? 0,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      record: options.record ?? true,
    });
    await fake.listen();
    return fake;
  }

  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  get url(): string {
    return this.origin;
  }

  /** The app's environment variables that point every Google URL at this server. */
  env(): Record<string, string> {
    return {
      CODE_ASSIST_ENDPOINT: this.url,
      GEMINI_API_ENDPOINT: this.url,
      VERTEX_ENDPOINT: this.url,
      GOOGLE_OAUTH_AUTH_URL: `${this.url}/o/oauth2/v2/auth`,
      GOOGLE_OAUTH_TOKEN_URL: `${this.url}/token`,
      GOOGLE_USERINFO_URL: `${this.url}/oauth2/v2/userinfo`,
    };
  }

  addOAuthAccount(account: OAuthAccountInput): void {
    this.accounts.add(account);
  }

  addApiKey(key: string): void {
    this.accounts.addApiKey(key);
  }

  /**
   * A Vertex service account whose key pair this fake made: the key file to give the proxy
   * (write it with `writeServiceAccountFile`). Its tokens serve the project routes of its project.
   */
  createServiceAccount(input: ServiceAccountInput): ServiceAccountKey {
    return this.serviceAccounts.create(input);
  }

  /** Replaces the account's key: assertions signed with the old one get invalid_grant. */
  deleteServiceAccountKey(email: string): void {
    this.serviceAccounts.deleteKey(email);
  }

  /** JWT bearer grants received for this service account, successful or not. */
  serviceAccountGrants(email: string): number {
    return this.serviceAccounts.grantCount(email);
  }

  addVertexExpressKey(key: string): void {
    this.serviceAccounts.addExpressKey(key);
  }

  /** Later refreshes with this token get 400 invalid_grant (until a new consent grants it again). */
  revokeRefreshToken(refreshToken: string): void {
    this.accounts.revoke(refreshToken);
  }

  /**
   * Enforces Google's rate limits per project and model from now on (undefined: none, the
   * default), counting by `setup.now` so a test can move the minute and the Pacific day.
   */
  enforceQuotas(setup: QuotaSetup | undefined): void {
    this.quotas.enforce(setup);
  }

  /** Keys of one project share its quotas and its implicit cache. */
  setKeyProject(key: string, project: string): void {
    this.quotas.setProject(key, project);
  }

  /** 429s answered for a quota to this key and model since `enforceQuotas`. */
  quotaRejections(key: string, model: string): number {
    return this.quotas.rejections.get(`${key}\u0000${model}`) ?? 0;
  }

  /** Gemini's implicit caching per project: repeated openings come back as cachedContentTokenCount. */
  cacheImplicitly(on = true): void {
    this.quotas.cacheImplicitly(on);
  }

  /** What `v1internal:retrieveUserQuota` answers this account: `[{modelId, remainingFraction, resetTime}]`. */
  setUserQuota(email: string, buckets: unknown[]): void {
    this.quotas.userQuota.set(email, buckets);
  }

  /** Queues an answer for the next matching generate or stream call (default: any such call). */
  enqueue(answer: ScriptedAnswer, match: Match = {}): void {
    this.script.enqueue(answer, match);
  }

  /**
   * Answers every later call for `asked` with `modelVersion: servedAs`, as Google does for the IDs
   * it re-routes (the answer text still names the model asked); `reset()` undoes it.
   */
  routeModel(asked: string, servedAs: string): void {
    this.script.routeModel(asked, servedAs);
  }

  /** Makes the next `times` matching calls fail; without `action` only model calls match. */
  failNext(fault: Fault, match: FaultMatch = {}): void {
    this.script.failNext(fault, match);
  }

  /** Refresh-token grants received for this token, successful or not. */
  tokenRefreshes(refreshToken: string): number {
    return this.accounts.refreshCount(refreshToken);
  }

  /**
   * Forgets queued answers, faults, model routes, recorded calls and refresh counts; accounts and
   * keys stay.
   */
  reset(): void {
    this.script.clear();
    this.recorder.clear();
    this.accounts.clearCounts();
    this.serviceAccounts.clearCounts();
  }

  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedRequest> {
    return this.recorder.waitFor(predicate, timeoutMs, false);
  }

  /** Settles when a matching request has been abandoned by its client. */
  waitForAbort(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedRequest> {
    return this.recorder.waitFor(predicate, timeoutMs, true);
  }

  /** Stops listening and destroys every open socket, hanging answers included. */
  close(): Promise<void> {
    if (!this.closed) {
      this.lifecycle.closing = true;
      this.recorder.rejectWaiters('FakeGoogle closed');
      this.closed = new Promise((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
    }
    return this.closed;
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // A deep backlog, so a benchmark opening 1,000 streams at once is not slowed by SYN drops.
      this.server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve());
    });
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url);
    const ex = new Exchange(req, res, url, this.recorder, this.lifecycle);
    try {
      const route = this.match(req.method ?? 'GET', url.pathname);
      ex.identify(route?.api ?? apiForPath(url.pathname), route?.action);
      const raw = await readBody(req);
      if (!raw) return ex.record();
      if (route?.raw) {
        ex.raw = raw;
        return await route.run(ex);
      }
      const parsed = parseBody(req.headers['content-type'], raw);
      if (!parsed.ok) {
        ex.record();
        return ex.error(400, parsed.message);
      }
      ex.entry.body = parsed.value;
      if (!route) {
        ex.record();
        return ex.error(404, `The requested URL ${url.pathname} was not found on this server.`);
      }
      await route.run(ex);
    } catch {
      // A handler bug must not take the server down or leave the client waiting.
      ex.record();
      ex.fail();
    }
  }

  private match(method: string, path: string): Route | undefined {
    for (const table of this.routes) {
      const route = table.match(method, path);
      if (route) return route;
    }
    return undefined;
  }
}

function requestUrl(target: string | undefined): URL {
  try {
    return new URL(`http://127.0.0.1${target?.startsWith('/') ? target : '/'}`);
  } catch {
    return new URL('http://127.0.0.1/');
  }
}

function apiForPath(path: string): ApiName {
  if (path.startsWith('/v1internal')) return 'code-assist';
  if (path.startsWith('/v1beta') || path.startsWith('/upload/')) return 'gemini';
  if (path.startsWith('/v1/')) return 'vertex';
  if (path.startsWith('/oauth2/')) return 'userinfo';
  if (path.startsWith('/o/oauth2/')) return 'consent';
  return 'oauth';
}
