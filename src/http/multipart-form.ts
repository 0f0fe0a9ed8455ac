import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors/api-error';
import type { BodySink } from './body-reader';

/** One uploaded file of a multipart body, held whole (Google takes media inline, base64). */
export interface UploadedFile {
  /** The form field it came in (`file`, `image`, `image[]`, `mask`). */
  field: string;
  filename: string;
  /** As the client declared it; routes that care sniff the bytes too. */
  mimeType: string;
  data: Buffer;
}

/** A parsed `multipart/form-data` body: text fields (repeated names kept in order) and files. */
export class MultipartForm {
  constructor(
    readonly fields: ReadonlyMap<string, readonly string[]>,
    readonly files: readonly UploadedFile[],
  ) {}

  /** The last value sent for a text field, as the openai SDK sends each field once. */
  field(name: string): string | undefined {
    const values = this.fields.get(name);
    return values?.[values.length - 1];
  }

  filesOf(...names: string[]): UploadedFile[] {
    return this.files.filter((f) => names.includes(f.field));
  }
}

/** More than any OpenAI media route takes; a body past them is refused rather than parsed. */
const LIMITS = { fields: 64, fieldSize: 1024 * 1024, files: 16, parts: 96 };

export function isMultipart(contentType: string | undefined): boolean {
  return /^\s*multipart\/form-data\s*(;|$)/i.test(contentType ?? '');
}

/**
 * A BodySink that parses multipart/form-data with busboy as the bytes arrive. The bytes stay
 * counted by the body reader until parsing ends; a malformed body or one past the part limits
 * is refused with a 400 as soon as busboy notices.
 */
export function multipartSink(headers: IncomingHttpHeaders): BodySink<MultipartForm> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers, limits: LIMITS });
  } catch (error) {
    throw ApiError.badRequest(
      `The multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  const fields = new Map<string, string[]>();
  const files: UploadedFile[] = [];
  let failure: ApiError | undefined;
  const refuse = (message: string) => {
    failure ??= ApiError.badRequest(message);
  };
  parser.on('field', (name: string, value: string, info: busboy.FieldInfo) => {
    if (info.valueTruncated)
      refuse(`The form field '${name}' is longer than ${LIMITS.fieldSize} bytes.`);
    const values = fields.get(name);
    if (values) values.push(value);
    else fields.set(name, [value]);
  });
  parser.on('file', (name: string, stream: NodeJS.ReadableStream, info: busboy.FileInfo) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A cut body destroys the part's stream with busboy's own error, which the parser reports too.
    stream.on('error', () => undefined);
    stream.on('end', () => {
      files.push({
        field: name,
        filename: info.filename ?? '',
        mimeType: (info.mimeType ?? 'application/octet-stream').toLowerCase(),
        data: Buffer.concat(chunks),
      });
    });
  });
  parser.on('partsLimit', () => refuse(`The form has more than ${LIMITS.parts} parts.`));
  parser.on('filesLimit', () => refuse(`The form has more than ${LIMITS.files} files.`));
  parser.on('fieldsLimit', () => refuse(`The form has more than ${LIMITS.fields} fields.`));
  const closed = new Promise<void>((resolve) => {
    parser.on('close', resolve);
    parser.on('error', (error: Error) => {
      refuse(`The multipart body cannot be read: ${error.message}.`);
      resolve();
    });
  });
  return {
    write(chunk) {
      if (failure) throw failure;
      parser.write(chunk);
    },
    async end() {
      parser.end();
      await closed;
      if (failure) throw failure;
      return new MultipartForm(fields, files);
    },
  };
}
