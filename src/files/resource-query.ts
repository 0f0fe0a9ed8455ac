/**
 * The client's query string as Google should see it: without `key` (the proxy password, when the
 * client sent it there) and the proxy's own upload-session parameters.
 */
export function forwardedQuery(query: Record<string, unknown>, drop: string[] = []): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === 'key' || drop.includes(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string') params.append(name, v);
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A merged list's page token: which credential to read next, and Google's token for it. */
export interface MergedCursor {
  credential?: string;
  token?: string;
}

export function encodeCursor(cursor: MergedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(token: string | undefined): MergedCursor | undefined {
  if (!token) return {};
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const { credential, token: inner } = value as Record<string, unknown>;
    if (credential !== undefined && typeof credential !== 'string') return undefined;
    if (inner !== undefined && typeof inner !== 'string') return undefined;
    return { credential, token: inner };
  } catch {
    return undefined;
  }
}
