import { connect, type Socket } from 'node:net';
import { waitFor } from './wait';

/** A request written on a raw socket, so a test controls when (and whether) each byte is sent or read. */
export class RawRequest {
  readonly socket: Socket;
  private received = '';
  readonly closed: Promise<void>;

  /** `localAddress` (another loopback address, such as 127.0.0.2) makes it a different client. */
  constructor(url: string, head: string, localAddress?: string) {
    const { port } = new URL(url);
    this.socket = connect({ port: Number(port), host: '127.0.0.1', localAddress });
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.write(head);
  }

  static post(url: string, path: string, headers: Record<string, string | number>): RawRequest {
    const lines = Object.entries({ host: 'localhost', ...headers }).map(([k, v]) => `${k}: ${v}`);
    return new RawRequest(url, `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  }

  get text(): string {
    return this.received;
  }

  async statusLine(timeoutMs = 10_000): Promise<string> {
    await waitFor(() => this.received.includes('\r\n'), timeoutMs, 'a status line');
    return this.received.slice(0, this.received.indexOf('\r\n'));
  }

  destroy(): void {
    this.socket.destroy();
  }
}
