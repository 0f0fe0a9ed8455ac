import type { ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from './config.module';
import { authConfig, serverConfig, upstreamConfig } from './configuration';

describe('AppConfigModule.register(source)', () => {
  const compile = (source: Record<string, string | undefined>) =>
    Test.createTestingModule({ imports: [AppConfigModule.register(source)] }).compile();

  it('reads the object it is given, not process.env, and leaves process.env as it was', async () => {
    const saved = process.env.MAX_ATTEMPTS;
    process.env.MAX_ATTEMPTS = '7';
    try {
      const before = { ...process.env };
      const moduleRef = await compile({ PORT: '1234', GEMINI_AUTH_PASSWORD: 'pw-from-object' });
      expect(moduleRef.get<ConfigType<typeof serverConfig>>(serverConfig.KEY).port).toBe(1234);
      expect(moduleRef.get<ConfigType<typeof authConfig>>(authConfig.KEY).password).toBe(
        'pw-from-object',
      );
      // The default, not the 7 in the process environment.
      expect(moduleRef.get<ConfigType<typeof upstreamConfig>>(upstreamConfig.KEY).maxAttempts).toBe(
        3,
      );
      expect(process.env).toEqual(before);
    } finally {
      if (saved === undefined) delete process.env.MAX_ATTEMPTS;
      else process.env.MAX_ATTEMPTS = saved;
    }
  });

  it('reads the outbound proxies, the lowercase form first (the usual convention)', async () => {
    const moduleRef = await compile({
      HTTPS_PROXY: 'http://upper:3128',
      https_proxy: 'http://lower:3128',
      HTTP_PROXY: 'http://plain:8080',
      NO_PROXY: 'localhost,.internal',
    });
    expect(moduleRef.get<ConfigType<typeof upstreamConfig>>(upstreamConfig.KEY).routeOut).toEqual({
      httpsProxy: 'http://lower:3128',
      httpProxy: 'http://plain:8080',
      noProxy: 'localhost,.internal',
    });
  });

  it('validates the object like the environment: a bad value names its variable', async () => {
    await expect(compile({ PORT: 'not-a-port' })).rejects.toThrow(/PORT/);
  });
});
