import { Logger } from '@nestjs/common';
import { Credential, secretSuffix } from '../credentials/credential';
import { shownProxy } from '../route-out/proxy-url';

const REDACTED_KEYS = new Set([
  'text',
  'data',
  'thoughtSignature',
  'thought_signature',
  'args',
  'response',
]);

/** Replaces prompt and response text (and inline media) with its length, keeping the shape. */
export function redactPayload(value: unknown, depth = 0): unknown {
  if (depth > 40) return '<deep>';
  if (Array.isArray(value)) return value.map((v) => redactPayload(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (REDACTED_KEYS.has(k) && (typeof v === 'string' || k === 'args' || k === 'response')) {
        out[k] = typeof v === 'string' ? `<REDACTED ${v.length} chars>` : '<REDACTED>';
      } else {
        out[k] = redactPayload(v, depth + 1);
      }
    }
    return out;
  }
  return value;
}

/**
 * The seed's DEBUG blocks (`--- Credential Details ---`, upstream request and response). Secrets
 * appear at most as their last five characters, in every mode.
 */
export class DebugLog {
  private readonly logger = new Logger('Debug');

  constructor(
    readonly enabled: boolean,
    private readonly redact: boolean,
  ) {}

  credential(c: Credential, model: string, attempt: number): void {
    if (!this.enabled) return;
    const lines = credentialLines(c);
    if (c.proxy) lines.push(`Route out: via ${shownProxy(c.proxy)}`);
    this.logger.debug(
      ['--- Credential Details ---', ...lines, `Model: ${model}`, `Attempt: ${attempt}`].join('\n'),
    );
  }

  upstreamRequest(backend: string, action: string, model: string, body: unknown): void {
    if (!this.enabled) return;
    this.logger.debug(
      `--- Upstream Request to Google ---\n${backend} ${action} model=${model}\n${this.show(body)}`,
    );
  }

  upstreamResponse(status: number, body: unknown): void {
    if (!this.enabled) return;
    this.logger.debug(
      `--- Upstream Response from Google ---\nstatus=${status}\n${this.show(body)}`,
    );
  }

  private show(body: unknown): string {
    try {
      const text = JSON.stringify(this.redact ? redactPayload(body) : body, null, 2) ?? '';
      return text.length > 20_000 ? `${text.slice(0, 20_000)}… (${text.length} chars)` : text;
    } catch {
      return '<unserialisable>';
    }
  }
}

function credentialLines(c: Credential): string[] {
  switch (c.kind) {
    case 'oauth':
      return [
        `Project ID: ${c.projectId ?? '(not yet discovered)'}`,
        `User Email: ${c.email ?? '(unknown)'}`,
        `Credential Used (Refresh Token ending in): ${secretSuffix(c.refreshToken)}`,
      ];
    case 'api-key':
      return [`Credential Used (API key ending in): ${secretSuffix(c.apiKey)}`];
    case 'vertex':
      return c.mode === 'service-account'
        ? [
            `Project ID: ${c.projectId}`,
            `Location: ${c.location}`,
            `Service Account: ${c.clientEmail}`,
            `Credential Used (private key id ending in): ${secretSuffix(c.privateKeyId)}`,
          ]
        : [`Credential Used (Vertex express key ending in): ${secretSuffix(c.apiKey)}`];
  }
}
