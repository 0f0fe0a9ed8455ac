import { Agent, Dispatcher, EnvHttpProxyAgent, fetch, ProxyAgent, Socks5ProxyAgent } from 'undici';
import { shownProxy } from './proxy-url';

/** The proxies every call to Google takes unless its credential names its own (DESIGN §4). */
export interface RouteOutSettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

const POOL_OPTIONS = {
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 600_000,
  // No cap per origin: every open stream holds a connection, and a thousand streams must not queue.
  connections: null,
  connect: { timeout: 30_000 },
} satisfies Agent.Options;

/** The `fetch` signature google-auth-library and the token grants call. */
export type FetchThrough = typeof globalThis.fetch;

/**
 * The way out to Google: the pooled keep-alive dispatcher every call takes, direct or through
 * HTTPS_PROXY/HTTP_PROXY (minus NO_PROXY), and one dispatcher per distinct credential proxy
 * (http, https or socks5), made on first use and kept, so each keeps its own connection pool.
 */
export class RouteOut {
  private readonly shared: Dispatcher;
  private readonly own = new Map<string, Dispatcher>();

  constructor(private readonly settings: RouteOutSettings = {}) {
    this.shared =
      settings.httpProxy || settings.httpsProxy
        ? // Every value passed, empty when unset, so that undici never reads the environment itself.
          new EnvHttpProxyAgent({
            ...POOL_OPTIONS,
            httpProxy: settings.httpProxy ?? '',
            httpsProxy: settings.httpsProxy ?? settings.httpProxy ?? '',
            noProxy: settings.noProxy ?? '',
          })
        : new Agent(POOL_OPTIONS);
  }

  /** The dispatcher of a call: the credential's own proxy when it names one, else the shared one. */
  dispatcher(proxy?: string): Dispatcher {
    if (!proxy) return this.shared;
    let dispatcher = this.own.get(proxy);
    if (!dispatcher) {
      dispatcher = proxyDispatcher(proxy);
      this.own.set(proxy, dispatcher);
    }
    return dispatcher;
  }

  /** `fetch` over the same route, for the token endpoint's grants. */
  fetch(proxy?: string): FetchThrough {
    const dispatcher = this.dispatcher(proxy);
    // Node's global fetch types and undici's own differ only in name; the calls are the same.
    type UndiciInput = Parameters<typeof fetch>[0];
    type UndiciInit = Parameters<typeof fetch>[1];
    return ((input: unknown, init?: unknown) =>
      fetch(input as UndiciInput, { ...(init as UndiciInit), dispatcher })) as FetchThrough;
  }

  /** One line for the start-up log, proxies as scheme://host:port only. */
  describe(): string {
    const { httpProxy, httpsProxy, noProxy } = this.settings;
    if (!httpProxy && !httpsProxy) return 'direct';
    const parts = [
      httpsProxy ? `https via ${shownProxy(httpsProxy)}` : '',
      httpProxy ? `http via ${shownProxy(httpProxy)}` : '',
      noProxy ? `except ${noProxy}` : '',
    ];
    return parts.filter(Boolean).join(', ');
  }

  async close(): Promise<void> {
    await Promise.all([this.shared, ...this.own.values()].map((d) => d.close()));
    this.own.clear();
  }
}

function proxyDispatcher(proxy: string): Dispatcher {
  const url = new URL(proxy);
  if (url.protocol === 'socks5:' || url.protocol === 'socks:') {
    // undici's SOCKS agent keeps a pool per origin of its own; its `connect` option would replace
    // the connector to the proxy, so the shared pool options do not apply to it.
    return new Socks5ProxyAgent(url);
  }
  return new ProxyAgent({ ...POOL_OPTIONS, uri: proxy });
}
