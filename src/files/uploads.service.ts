import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { upstreamConfig } from '../config/configuration';
import { ApiError } from '../errors/api-error';
import { JsonObject } from '../upstream/gemini-types';
import { readText } from '../upstream/upstream-http';
import { Relayed } from './relayed';
import { RESOURCE_TTL_MS } from './resource-names';
import { ResourceOwners } from './resource-owners';
import { forwardedQuery } from './resource-query';
import { ResourcesService } from './resources.service';
import { ByteCap } from './byte-cap';

/** What an upload request brings: its headers, query, bytes (unread) and the proxy's own base URL. */
export interface UploadRequest {
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
  body: Readable;
  /** `http://host:port`: where the client reaches the proxy, for the session URL handed back. */
  base: string;
  signal: AbortSignal;
}

/** The start request's metadata (`{file:{display_name}}`) is small; a megabyte is generous. */
const MAX_METADATA_BYTES = 1 << 20;
/** Upload bytes may take long over a slow link; Google's silence is what the usual limit bounds. */
const UPLOAD_TIMEOUT_MS = 3_600_000;

/**
 * `POST /upload/v1beta/files` in Google's protocols. Resumable: the start goes to a capable
 * credential, whose session URL is kept behind a proxy URL of our own; every later command
 * (`upload`, `upload, finalize`, `query`, `cancel`) goes to that credential's session. Multipart
 * and media: one call. Bytes stream through as they arrive; none is held whole.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly resources: ResourcesService,
    private readonly owners: ResourceOwners,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
  ) {}

  async upload(req: UploadRequest): Promise<Relayed> {
    const sessionId = typeof req.query.upload_id === 'string' ? req.query.upload_id : undefined;
    if (sessionId !== undefined) return this.continueSession(sessionId, req);
    const protocol =
      header(req.headers, 'x-goog-upload-protocol') ?? stringOf(req.query.uploadType);
    if (protocol === 'resumable') return this.start(req);
    return this.single(req);
  }

  private async start(req: UploadRequest): Promise<Relayed> {
    const declared = Number(header(req.headers, 'x-goog-upload-header-content-length'));
    this.checkSize(declared);
    const metadata = await readSmall(req.body);
    const forwarded = pick(req.headers, [
      'content-type',
      'x-goog-upload-protocol',
      'x-goog-upload-command',
      'x-goog-upload-header-content-length',
      'x-goog-upload-header-content-type',
      'x-goog-upload-file-name',
    ]);
    const served = await this.resources.callForUpload(
      {
        method: 'POST',
        target: `/upload/v1beta/files${forwardedQuery(req.query)}`,
        headers: forwarded,
        body: metadata,
        signal: req.signal,
      },
      true,
    );
    const text = await readText(served.response, req.signal);
    const uploadUrl = header(served.response.headers, 'x-goog-upload-url');
    const headers = uploadHeaders(served.response.headers);
    if (uploadUrl) {
      const id = randomBytes(24).toString('base64url');
      await this.owners.record(
        `uploads/${id}`,
        served.credential.id,
        RESOURCE_TTL_MS.uploads,
        uploadUrl,
      );
      headers['x-goog-upload-url'] =
        `${req.base}/upload/v1beta/files?upload_id=${id}&upload_protocol=resumable`;
    }
    return {
      status: served.response.status,
      headers: { ...headers, ...jsonType(served.response.headers) },
      body: Buffer.from(text),
    };
  }

  private async continueSession(id: string, req: UploadRequest): Promise<Relayed> {
    const session = await this.owners.get(`uploads/${id}`);
    if (!session?.uploadUrl) {
      throw new ApiError({
        status: 404,
        kind: 'not_found',
        googleStatus: 'NOT_FOUND',
        message: 'No such upload session: it expired, was finished, or was never started here.',
      });
    }
    const offset = Number(header(req.headers, 'x-goog-upload-offset') ?? 0);
    const length = Number(header(req.headers, 'content-length') ?? 0);
    this.checkSize(offset + length);
    const forwarded = pick(req.headers, [
      'content-type',
      'content-length',
      'x-goog-upload-command',
      'x-goog-upload-offset',
      'x-goog-upload-file-name',
    ]);
    const cap = new ByteCap(this.config.filesMaxBytes - offset);
    const served = await this.capped(
      cap,
      this.resources.callForUpload(
        {
          method: 'POST',
          target: session.uploadUrl,
          headers: forwarded,
          body: req.body.pipe(cap),
          signal: cap.signalWith(req.signal),
          timeoutMs: UPLOAD_TIMEOUT_MS,
        },
        false,
        { resource: `uploads/${id}`, owner: session.owner },
      ),
    );
    return this.finish(served, req, `uploads/${id}`);
  }

  /** Multipart (metadata and bytes in one body) or media (bytes only): one streamed call. */
  private async single(req: UploadRequest): Promise<Relayed> {
    this.checkSize(Number(header(req.headers, 'content-length') ?? 0));
    const forwarded = pick(req.headers, [
      'content-type',
      'content-length',
      'x-goog-upload-protocol',
      'x-goog-upload-file-name',
    ]);
    const cap = new ByteCap(this.config.filesMaxBytes);
    const served = await this.capped(
      cap,
      this.resources.callForUpload(
        {
          method: 'POST',
          target: `/upload/v1beta/files${forwardedQuery(req.query)}`,
          headers: forwarded,
          body: req.body.pipe(cap),
          signal: cap.signalWith(req.signal),
          timeoutMs: UPLOAD_TIMEOUT_MS,
        },
        false,
      ),
    );
    return this.finish(served, req);
  }

  private async finish(
    served: Awaited<ReturnType<ResourcesService['callForUpload']>>,
    req: UploadRequest,
    session?: string,
  ): Promise<Relayed> {
    const text = await readText(served.response, req.signal);
    const status = header(served.response.headers, 'x-goog-upload-status');
    try {
      const answer = JSON.parse(text) as JsonObject;
      if (answer && typeof answer === 'object')
        await this.resources.learn(answer, served.credential);
    } catch {
      // An `upload` without `finalize` answers no body.
    }
    if (session && (status === 'final' || status === 'cancelled'))
      await this.owners.forget(session);
    return {
      status: served.response.status,
      headers: { ...uploadHeaders(served.response.headers), ...jsonType(served.response.headers) },
      body: Buffer.from(text),
    };
  }

  private checkSize(bytes: number): void {
    if (Number.isFinite(bytes) && bytes > this.config.filesMaxBytes) throw this.tooLarge();
  }

  /** A body that went past FILES_MAX_BYTES on the way (declared smaller, or not at all). */
  private async capped<T>(cap: ByteCap, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      throw cap.exceeded ? this.tooLarge() : error;
    }
  }

  private tooLarge(): ApiError {
    return new ApiError({
      status: 413,
      kind: 'invalid_request',
      googleStatus: 'INVALID_ARGUMENT',
      message: `The file is larger than this proxy accepts (FILES_MAX_BYTES, ${this.config.filesMaxBytes} bytes).`,
    });
  }
}

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function pick(headers: IncomingHttpHeaders, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = header(headers, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Google's `x-goog-upload-*` answer headers but its session URL and control URL. */
function uploadHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (
      !lower.startsWith('x-goog-upload-') ||
      lower === 'x-goog-upload-url' ||
      lower === 'x-goog-upload-control-url'
    )
      continue;
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined) out[lower] = text;
  }
  return out;
}

function jsonType(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const type = header(headers, 'content-type');
  return { 'content-type': type ?? 'application/json; charset=utf-8' };
}

async function readSmall(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_METADATA_BYTES) {
      body.destroy();
      throw ApiError.badRequest('The upload start request carries more than 1 MB of metadata.');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
