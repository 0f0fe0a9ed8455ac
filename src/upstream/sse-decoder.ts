import { UpstreamNetworkError } from './upstream-errors';

/**
 * Decoders for Google's two streaming framings. Both take raw chunks as the HTTP client hands them
 * over, so every boundary case (a split `\r\n`, half a UTF-8 character, half a `data:` field)
 * is handled here rather than by the callers. Both stop reading when the consumer stops: `for await`
 * closes the source iterator, which lets the HTTP client abort the upstream request.
 */

/**
 * Yields the data payload of each Server-Sent Event (`?alt=sse`), following the WHATWG rules: a
 * blank line ends an event, multi-line `data:` fields are joined with `\n`, one space after the
 * colon is dropped, comments and `event:`/`id:`/`retry:` are ignored.
 */
export async function* decodeSse(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const lines = new LineSplitter();
  const event = new SseEventBuilder();
  for await (const text of decodeUtf8(chunks)) {
    for (const line of lines.push(text)) {
      const data = event.line(line);
      if (data !== undefined) yield data;
    }
  }
  for (const line of lines.end()) {
    const data = event.line(line);
    if (data !== undefined) yield data;
  }
  // The spec drops an unterminated last event, but a body cut right after the final `data:` line
  // (as some relays and fakes send it) would then lose the chunk carrying finishReason and usage.
  const last = event.line('');
  if (last !== undefined) yield last;
}

/**
 * Yields the raw JSON text of each top-level element of a streamed JSON array: the framing of
 * `streamGenerateContent` without `alt=sse`, which sends `[{…}\r\n,{…}\r\n]` as the model writes.
 * Only the element being read is held in memory.
 */
export async function* decodeJsonArrayStream(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const scanner = new JsonArrayScanner();
  for await (const text of decodeUtf8(chunks)) {
    yield* scanner.push(text);
  }
  scanner.end();
}

async function* decodeUtf8(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  // `stream: true` keeps the first bytes of a character split across chunks until the rest arrive.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Splits text into lines on `\r\n`, `\r` or `\n`, whatever the chunk boundaries. */
class LineSplitter {
  private partial = '';
  /** The last chunk ended in `\r`, so a `\n` opening the next one belongs to the same break. */
  private pendingCr = false;
  private started = false;

  push(text: string): string[] {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const lines: string[] = [];
    let pos = 0;
    if (this.pendingCr && text.startsWith('\n')) pos = 1;
    this.pendingCr = false;
    // The next CR and LF are searched again only once passed, so a chunk of many LF-only lines
    // is not rescanned to its end for a CR at every line.
    let cr = text.indexOf('\r', pos);
    let lf = text.indexOf('\n', pos);
    while (pos < text.length) {
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) {
        this.partial += text.slice(pos);
        break;
      }
      lines.push(this.partial + text.slice(pos, end));
      this.partial = '';
      pos = end + 1;
      if (text[end] === '\r') {
        if (pos === text.length) this.pendingCr = true;
        else if (text[pos] === '\n') pos++;
      }
    }
    return lines;
  }

  end(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [rest] : [];
  }
}

/** Accumulates the fields of one event; returns its data when a blank line dispatches it. */
class SseEventBuilder {
  private data: string[] = [];

  line(line: string): string | undefined {
    if (line === '') {
      if (this.data.length === 0) return undefined;
      const payload = this.data.join('\n');
      this.data = [];
      return payload;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return undefined;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
    return undefined;
  }
}

type ArrayState = 'before-array' | 'between' | 'element' | 'after-array';

/** Finds element boundaries by tracking string, escape and nesting state, one character at a time. */
class JsonArrayScanner {
  private state: ArrayState = 'before-array';
  private current = '';
  private depth = 0;
  private inString = false;
  private escaped = false;

  *push(text: string): Generator<string> {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.state === 'before-array') {
        if (isJsonSpace(c) || c === '\ufeff') continue;
        if (c !== '[') throw protocolError(`expected a JSON array, got ${JSON.stringify(c)}`);
        this.state = 'between';
      } else if (this.state === 'between') {
        if (isJsonSpace(c) || c === ',') continue;
        if (c === ']') {
          this.state = 'after-array';
          continue;
        }
        this.state = 'element';
        start = i;
        i--; // read this character again as the element's first
      } else if (this.state === 'element') {
        const end = this.step(c, i);
        if (end !== undefined) {
          if (end === start && !this.current)
            throw protocolError(`unexpected ${JSON.stringify(c)}`);
          yield this.current + text.slice(start, end);
          this.current = '';
          this.state = 'between';
          i = end - 1;
        }
      }
      // Anything after the closing bracket is ignored, as JSON.parse of the whole body would reject it
      // only after every element had already been served.
    }
    if (this.state === 'element') this.current += text.slice(start);
  }

  end(): void {
    if (this.state !== 'after-array') {
      throw protocolError('the stream ended before the JSON array was closed');
    }
  }

  /** Advances over one element character; returns the end index (exclusive) once the element closes. */
  private step(c: string, i: number): number | undefined {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        if (this.depth === 0) return i + 1;
      }
      return undefined;
    }
    if (c === '"') this.inString = true;
    else if (c === '{' || c === '[') this.depth++;
    else if (c === '}' || c === ']') {
      if (this.depth === 0) return i; // a bare number or literal closed by the array's `]`
      this.depth--;
      if (this.depth === 0) return i + 1;
    } else if (this.depth === 0 && (c === ',' || isJsonSpace(c))) return i;
    return undefined;
  }
}

function isJsonSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

function protocolError(detail: string): UpstreamNetworkError {
  return new UpstreamNetworkError('protocol', `Malformed streamed JSON from Google: ${detail}`);
}
