/**
 * The stack's floor: what Nest 11 on Express costs before the proxy adds anything. One controller
 * takes every POST, lets Nest's default JSON body parser read it, and forwards it to the fake
 * Google over a keep-alive undici agent the way the proxy's `UpstreamHttp` does (the agent's own
 * `request()` with origin and path split, no timeouts of undici's own), then streams Google's
 * answer back. No auth, no credential choice, no translation, no guards, filters or interceptors,
 * and Nest's stock Express adapter (not the proxy's `ProxyExpressAdapter`). Run as a child process
 * of the benchmark (`NEST_FLOOR_TARGET`, `PORT`) like the pass-through.
 */
import 'reflect-metadata';
import { Controller, Module, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Agent } from 'undici';

// RFC 9110 §7.6.1: connection-specific fields are not forwarded; undici sets its own length.
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);

const agent = new Agent({
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 600_000,
  connections: null,
});
let origin = '';

function forwardable(headers: Record<string, string | string[] | undefined>) {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  }
  return out;
}

@Controller()
class ForwardController {
  @Post('*path')
  async forward(@Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await agent.request({
      origin,
      path: req.originalUrl,
      method: 'POST',
      headers: forwardable(req.headers),
      body: JSON.stringify(req.body),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    res.status(answer.statusCode);
    for (const [name, value] of Object.entries(forwardable(answer.headers))) {
      res.setHeader(name, value);
    }
    await pipeline(answer.body, res);
  }
}

@Module({ controllers: [ForwardController] })
class FloorModule {}

export async function startNestFloor(
  target: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  origin = new URL(target).origin;
  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await agent.close();
    },
  };
}

if (require.main === module) {
  const target = process.env.NEST_FLOOR_TARGET;
  if (!target) throw new Error('NEST_FLOOR_TARGET is required');
  startNestFloor(target, Number(process.env.PORT ?? 0))
    .then(({ url, close }) => {
      const stop = () => void close().finally(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      process.send?.({ type: 'ready', url });
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
