import type { ExecutionContext } from '@nestjs/common';
import express, { Request } from 'express';
import request from 'supertest';
import { SameOriginGuard } from './same-origin.guard';

/** A real Express app, so that `trust proxy` decides what X-Forwarded-* may say. */
function appTrusting(trustProxy: string | boolean) {
  const app = express();
  app.set('trust proxy', trustProxy);
  const guard = new SameOriginGuard({
    host: '127.0.0.1',
    port: 7860,
    domainName: 'https://proxy.example.com',
    bodyLimitBytes: 1024,
    bodyBytesInFlight: 4096,
    bodyLimit: '1kb',
    shutdownGraceMs: 1000,
    maxConnectionsPerAddress: 1000,
    logFormat: 'text',
  });
  app.post('/enable', (req, res) => {
    const context = { switchToHttp: () => ({ getRequest: () => req as Request }) };
    let allowed = false;
    try {
      allowed = guard.canActivate(context as unknown as ExecutionContext);
    } catch {
      allowed = false;
    }
    res.sendStatus(allowed ? 204 : 403);
  });
  return app;
}

const FORWARDED = {
  origin: 'https://admin.lan:8443',
  'x-forwarded-host': 'admin.lan:8443',
  'x-forwarded-proto': 'https',
};

describe('SameOriginGuard', () => {
  it('accepts the origin a trusted proxy forwards', async () => {
    await request(appTrusting('loopback')).post('/enable').set(FORWARDED).expect(204);
  });

  it('ignores X-Forwarded-Host from a peer that trust proxy does not trust', async () => {
    await request(appTrusting(false)).post('/enable').set(FORWARDED).expect(403);
  });

  it('accepts DOMAIN_NAME’s origin from any peer', async () => {
    await request(appTrusting(false))
      .post('/enable')
      .set({ origin: 'https://proxy.example.com' })
      .expect(204);
  });

  it('refuses Origin: null', async () => {
    await request(appTrusting('loopback')).post('/enable').set({ origin: 'null' }).expect(403);
  });
});
