import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { isColorAllowed } from '@nestjs/common/utils/cli-colors.util';
import { LineBuffer, LineSink } from './line-buffer';
import { SecondTimestamp } from './second-timestamp';

const live = new Set<LineBuffer>();
let exitHooked = false;

/** Writes what every buffered logger holds; on exit, stdout to a file or pipe is still synchronous. */
function flushAll(): void {
  for (const buffer of live) buffer.flush();
}

/**
 * Nest's ConsoleLogger, same text and JSON lines, made cheap enough for one line per request: the
 * timestamp is formatted once a second, and stdout lines leave in batches (LineBuffer) instead of
 * one synchronous write each. Errors still go to stderr at once, after the lines queued before
 * them, so the order on a shared terminal stays right. Queued lines are written on exit.
 */
export class BufferedConsoleLogger extends ConsoleLogger {
  private readonly lines: LineBuffer;
  private readonly timestamp: SecondTimestamp;

  constructor(
    options: ConsoleLoggerOptions,
    sink: LineSink = (text) => process.stdout.write(text),
  ) {
    // Colours only on a terminal: a pipe, a file or `docker logs` gets plain lines. Nest's own default
    // (colours unless NO_COLOR) would also read the environment three times for every line.
    const colors =
      options.colors ?? (!options.json && process.stdout.isTTY === true && isColorAllowed());
    super({ ...options, colors });
    this.timestamp = new SecondTimestamp(() => super.getTimestamp());
    this.lines = new LineBuffer(sink);
    live.add(this.lines);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', flushAll);
    }
  }

  /** Writes the queued lines now (shutdown, tests). */
  flush(): void {
    this.lines.flush();
  }

  protected override getTimestamp(): string {
    return this.timestamp.current();
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    const inspected = this.options.json && (this.options.colors || !this.inspectOptions.compact);
    if (writeStreamType === 'stderr' || this.options.forceConsole || inspected) {
      this.lines.flush();
      super.printMessages(messages, context, logLevel, writeStreamType, errorStack);
      return;
    }
    for (const message of messages) {
      if (this.options.json) {
        const entry = this.getJsonLogObject(message, { context, logLevel, errorStack });
        this.lines.push(`${this.stringifyJsonLogObject(entry)}\n`);
      } else {
        this.lines.push(
          this.formatMessage(
            logLevel,
            message,
            this.formatPid(process.pid),
            logLevel.toUpperCase().padStart(7, ' '),
            this.formatContext(context),
            this.updateAndGetTimestampDiff(),
          ),
        );
      }
    }
  }
}
