import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { isRecord } from '../../json/is-record';

/** What a `reasoning` item's `encrypted_content` carries: the thought signatures of the calls after it. */
export interface SealedReasoning {
  /** The upstream model the signatures came from; Gemini rejects another model's signatures. */
  model: string;
  /** Thought signature by the `call_id` the proxy handed out. */
  signatures: Record<string, string>;
}

const PREFIX = 'gp1.';
const AAD = Buffer.from('gemini-proxy/responses/encrypted_content/v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The 256-bit sealing key, derived (HKDF-SHA256) from the proxy password. Derived rather than
 * random per process so that a stateless client (Codex CLI sends `store:false` and the whole
 * history every turn) keeps working across restarts and across replicas behind a load balancer;
 * only someone holding the password, who can call the proxy anyway, can forge a payload.
 */
export function deriveSealKey(password: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', password, 'gemini-proxy', 'responses encrypted_content v1', 32),
  );
}

/**
 * Seals thought signatures into an opaque `encrypted_content` with AES-256-GCM: the client can
 * neither read nor alter them, and a forged or foreign value fails authentication and is ignored
 * (the request then falls back to Google's documented placeholder signature).
 */
export class ReasoningSeal {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('The sealing key must be 32 bytes.');
  }

  seal(payload: SealedReasoning): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The payload, or undefined for anything this proxy (with this password) did not seal. */
  open(token: unknown): SealedReasoning | undefined {
    if (typeof token !== 'string' || !token.startsWith(PREFIX)) return undefined;
    const raw = Buffer.from(token.slice(PREFIX.length), 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(AAD);
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      const parsed: unknown = JSON.parse(text);
      if (!isRecord(parsed) || typeof parsed.model !== 'string' || !isRecord(parsed.signatures)) {
        return undefined;
      }
      const signatures: Record<string, string> = {};
      for (const [id, sig] of Object.entries(parsed.signatures)) {
        if (typeof sig === 'string') signatures[id] = sig;
      }
      return { model: parsed.model, signatures };
    } catch {
      return undefined;
    }
  }
}
