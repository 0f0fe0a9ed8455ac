import type { IncomingMessage } from 'node:http';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/** The whole request body, or undefined when the client hung up while sending it. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}

/** A form body (the token endpoint) as a flat object, anything else as JSON; empty is undefined. */
export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  if (raw.length === 0) return { ok: true, value: undefined };
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Invalid JSON payload received. ${reason}` };
  }
}
