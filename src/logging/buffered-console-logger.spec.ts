import { isColorAllowed } from '@nestjs/common/utils/cli-colors.util';
import { BufferedConsoleLogger } from './buffered-console-logger';

describe('BufferedConsoleLogger', () => {
  let written: string[];
  beforeEach(() => (written = []));

  it('queues text lines in ConsoleLogger’s format until flushed', () => {
    const logger = new BufferedConsoleLogger({ colors: false }, (t) => written.push(t));
    logger.log('first', 'Request');
    logger.warn('second', 'Request');
    expect(written).toEqual([]);
    logger.flush();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      new RegExp(
        `^\\[Nest\\] ${process.pid}  - .+     LOG \\[Request\\] first\\n` +
          `\\[Nest\\] ${process.pid}  - .+    WARN \\[Request\\] second\\n$`,
      ),
    );
  });

  describe('colours', () => {
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    const onTerminal = (value: boolean) =>
      Object.defineProperty(process.stdout, 'isTTY', { value, configurable: true });
    afterEach(() => {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    });
    const line = () => {
      const logger = new BufferedConsoleLogger({}, (t) => written.push(t));
      logger.log('hello', 'Request');
      logger.flush();
      return written.join('');
    };

    it('writes plain lines to a pipe, a file or docker logs', () => {
      onTerminal(false);
      expect(line()).not.toContain('\u001b[');
    });

    it('colours lines on a terminal, as Nest does unless NO_COLOR is set', () => {
      onTerminal(true);
      expect(line().includes('\u001b[32m')).toBe(isColorAllowed());
    });
  });

  it('queues JSON lines with the fields ConsoleLogger gives them', () => {
    const logger = new BufferedConsoleLogger({ json: true }, (t) => written.push(t));
    logger.log({ event: 'request', status: 200 }, 'Request');
    logger.flush();
    expect(JSON.parse(written[0])).toEqual({
      level: 'log',
      pid: process.pid,
      timestamp: expect.any(Number),
      message: { event: 'request', status: 200 },
      context: 'Request',
    });
  });

  it('writes the queued lines before an error goes to stderr', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => {
      expect(written).toHaveLength(1);
      return true;
    });
    try {
      const logger = new BufferedConsoleLogger({ colors: false }, (t) => written.push(t));
      logger.log('before');
      logger.error('broken');
      expect(stderr).toHaveBeenCalledTimes(1);
    } finally {
      stderr.mockRestore();
    }
  });
});
