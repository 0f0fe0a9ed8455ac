import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { TEST_PASSWORD } from './support/proxy';
import { ProxyProcess } from './support/proxy-process';

const MB = 1024 * 1024;
const NATIVE = '/v1beta/models/gemini-2.5-flash:generateContent';

/**
 * A JSON body of ~45 MB that gzips to a few hundred KB: long runs of one letter with a little
 * noise, as an attacker would send to make the server inflate what it never asked for.
 */
function gzipBomb(): Buffer {
  const blocks: string[] = [];
  for (let size = 0; size < 45 * MB; size += 4096) {
    blocks.push('A'.repeat(4080) + randomBytes(8).toString('hex'));
  }
  return gzipSync(`{"contents":[{"role":"user","parts":[{"text":"${blocks.join('')}"}]}]}`);
}

/** Posts the bomb on its own connection; resolves with the status and how long the answer took. */
function post(url: string, body: Buffer, headers: Record<string, string> = {}) {
  const started = Date.now();
  return new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const req = request(
      `${url}${NATIVE}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(body.length),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
      },
    );
    // The server may close the connection before the upload is done: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

/** Samples the process's RSS until stopped, keeping the highest value seen. */
function watchRss(proc: ProxyProcess): { stop(): number } {
  let peak = proc.rssBytes();
  const timer = setInterval(() => (peak = Math.max(peak, proc.rssBytes())), 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, proc.rssBytes());
    },
  };
}

describe('memory spent on request bodies before the password', () => {
  let proc: ProxyProcess | undefined;
  const bomb = gzipBomb();

  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
  });

  it('answers 24 concurrent unauthenticated gzip bombs with 401 quickly and without inflating them', async () => {
    expect(bomb.length).toBeGreaterThan(100 * 1024);
    expect(bomb.length).toBeLessThan(1 * MB);
    proc = await ProxyProcess.start({});
    for (let i = 0; i < 3; i += 1) expect((await post(proc.url, bomb)).status).toBe(401);
    const baseline = proc.rssBytes();
    const rss = watchRss(proc);

    const answers = await Promise.all(Array.from({ length: 24 }, () => post(proc!.url, bomb)));

    const peak = rss.stop();
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(401));
    for (const answer of answers) expect(answer.ms).toBeLessThan(5_000);
    expect((peak - baseline) / MB).toBeLessThan(50);
  });

  it('refuses authenticated gzip bombs with 413 once they inflate past BODY_LIMIT', async () => {
    proc = await ProxyProcess.start({});
    const auth = { authorization: `Bearer ${TEST_PASSWORD}` };
    for (let i = 0; i < 3; i += 1) expect((await post(proc.url, bomb, auth)).status).toBe(413);
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => post(proc!.url, bomb, auth)),
    );
    // Past BODY_BYTES_IN_FLIGHT some are turned away with 503 before they reach the limit.
    for (const answer of concurrent) expect([413, 503]).toContain(answer.status);
  });
});
