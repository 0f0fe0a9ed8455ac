import type { IncomingHttpHeaders } from 'node:http';

/**
 * Where the client reached the proxy, for the upload-session URL handed back: the host it used
 * (behind a TLS-terminating reverse proxy, the forwarded scheme and host). It is only ever
 * reflected to the same authenticated client, so the headers need no trust beyond that.
 * `@google/genai` swaps the host for its own base URL anyway; curl and other clients use it as is.
 */
export function publicBase(
  headers: IncomingHttpHeaders,
  protocol: string,
  fallback: string,
): string {
  const scheme = first(headers['x-forwarded-proto']) ?? protocol;
  const host = first(headers['x-forwarded-host']) ?? headers.host;
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host) || !/^https?$/.test(scheme)) return fallback;
  return `${scheme}://${host}`;
}

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0].trim() || undefined;
}
