import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A user name and password a proxy demands, as they go into the proxy's URL. */
export interface ProxyLogin {
  user: string;
  password: string;
}

export interface ProxyOptions {
  login?: ProxyLogin;
  /**
   * Names only this proxy can resolve (`fake-google.test` → `127.0.0.1`): pointed at such a name,
   * the gateway can reach the fake Google through the proxy and no other way.
   */
  hosts?: Record<string, string>;
}

/**
 * What a proxy carried: one entry per tunnel it opened (or per absolute-form request it
 * forwarded), naming the target as `host:port`. A tunnel carries every request a kept-alive
 * connection sends, so the counts are of connections, not of calls.
 */
abstract class CountingProxy {
  readonly carried: string[] = [];
  /** Connections refused for a wrong or missing login. */
  refused = 0;
  /** What clients sent through the proxy to plain-HTTP targets, to count requests by their headers. */
  private sent = '';
  protected readonly sockets = new Set<net.Socket>();
  protected readonly login?: ProxyLogin;
  private readonly hosts: Record<string, string>;

  protected constructor(
    protected readonly server: net.Server,
    readonly scheme: string,
    options: ProxyOptions,
  ) {
    this.login = options.login;
    this.hosts = options.hosts ?? {};
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The proxy's URL, with its login when it demands one. */
  get url(): string {
    const login = this.login
      ? `${encodeURIComponent(this.login.user)}:${encodeURIComponent(this.login.password)}@`
      : '';
    return `${this.scheme}://${login}127.0.0.1:${this.port}`;
  }

  /** How many times `text` passed from a client through this proxy. */
  countSent(text: string): number {
    return this.sent.split(text).length - 1;
  }

  protected resolve(host: string): string {
    return this.hosts[host] ?? host;
  }

  /** Joins a client to its target both ways, keeping what the client sends for countSent(). */
  protected join(client: net.Socket, upstream: net.Socket, head: Buffer): void {
    const keep = (chunk: Buffer) => (this.sent += chunk.toString('latin1'));
    if (head.length) {
      keep(head);
      upstream.write(head);
    }
    client.on('data', keep);
    upstream.pipe(client);
    client.pipe(upstream);
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * An HTTP proxy on 127.0.0.1: CONNECT tunnels (what undici's ProxyAgent opens, for http and https
 * targets alike) and absolute-form requests (what plain-HTTP clients send), with Basic
 * `Proxy-Authorization` when it has a login.
 */
export class HttpConnectProxy extends CountingProxy {
  private constructor(options: ProxyOptions) {
    super(http.createServer(), 'http', options);
    const server = this.server as http.Server;
    server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) =>
      this.tunnel(req, client, head),
    );
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
      this.forward(req, res),
    );
  }

  static async start(options: ProxyOptions = {}): Promise<HttpConnectProxy> {
    const proxy = new HttpConnectProxy(options);
    await proxy.listen();
    return proxy;
  }

  private allowed(req: http.IncomingMessage): boolean {
    if (!this.login) return true;
    const expected = Buffer.from(`${this.login.user}:${this.login.password}`).toString('base64');
    if (req.headers['proxy-authorization'] === `Basic ${expected}`) return true;
    this.refused++;
    return false;
  }

  private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    if (!this.allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const target = req.url ?? '';
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), target.split(':').pop()];
    this.carried.push(target);
    const upstream = net.connect(Number(port), this.resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      this.join(client, upstream, head);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.allowed(req)) {
      res.writeHead(407).end();
      return;
    }
    const target = new URL(req.url ?? '');
    this.carried.push(target.host);
    target.hostname = this.resolve(target.hostname);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(
      target,
      { method: req.method, headers },
      (answer: http.IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

/**
 * A SOCKS5 proxy on 127.0.0.1 (RFC 1928 CONNECT, with RFC 1929 user/password when it has a
 * login): small on purpose, so that the test depends on nothing but node:net.
 */
export class Socks5Proxy extends CountingProxy {
  private constructor(options: ProxyOptions) {
    super(net.createServer(), 'socks5', options);
    this.server.on('connection', (socket: net.Socket) => {
      void this.serve(socket).catch(() => socket.destroy());
    });
  }

  static async start(options: ProxyOptions = {}): Promise<Socks5Proxy> {
    const proxy = new Socks5Proxy(options);
    await proxy.listen();
    return proxy;
  }

  private async serve(socket: net.Socket): Promise<void> {
    const read = reader(socket);
    const [version, methodCount] = await read(2);
    if (version !== 5) throw new Error('not SOCKS5');
    const methods = [...(await read(methodCount))];
    const method = this.login ? 0x02 : 0x00;
    if (!methods.includes(method)) {
      this.refused++;
      socket.end(Buffer.from([5, 0xff]));
      return;
    }
    socket.write(Buffer.from([5, method]));
    if (this.login) {
      const [, userLength] = await read(2);
      const user = (await read(userLength)).toString();
      const [passwordLength] = await read(1);
      const password = (await read(passwordLength)).toString();
      const ok = user === this.login.user && password === this.login.password;
      socket.write(Buffer.from([1, ok ? 0 : 1]));
      if (!ok) {
        this.refused++;
        socket.end();
        return;
      }
    }
    const [, command, , addressType] = await read(4);
    let host: string;
    if (addressType === 1) host = [...(await read(4))].join('.');
    else if (addressType === 3) host = (await read((await read(1))[0])).toString();
    else throw new Error('IPv6 targets are not needed here');
    const port = (await read(2)).readUInt16BE(0);
    if (command !== 1) throw new Error('CONNECT only');
    this.carried.push(`${host}:${port}`);
    const upstream = net.connect(port, this.resolve(host), () => {
      socket.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
      this.join(socket, upstream, read.rest());
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  }
}

/** Reads exact byte counts off a socket until `rest()` hands back what is left and lets go. */
function reader(socket: net.Socket): ((n: number) => Promise<Buffer>) & { rest(): Buffer } {
  let buffered = Buffer.alloc(0);
  let waiting: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    settle();
  };
  const settle = () => {
    if (waiting && buffered.length >= waiting.n) {
      const { n, resolve } = waiting;
      waiting = undefined;
      const out = buffered.subarray(0, n);
      buffered = buffered.subarray(n);
      resolve(out);
    }
  };
  socket.on('data', onData);
  socket.once('close', () => waiting?.reject(new Error('closed')));
  const read = (n: number) =>
    new Promise<Buffer>((resolve, reject) => {
      waiting = { n, resolve, reject };
      settle();
    });
  return Object.assign(read, {
    rest: () => {
      socket.off('data', onData);
      return buffered;
    },
  });
}
