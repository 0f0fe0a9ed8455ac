import type { Conversation } from '../upstream/call-quota';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isRecord } from '../json/is-record';

/**
 * Headers agents name their session in: Claude Code (`x-claude-code-session-id`), Codex
 * (`session-id`, also `session_id` in older builds), and the generic ones other agents and
 * gateways use. The first present wins.
 */
const SESSION_HEADERS = [
  'x-claude-code-session-id',
  'session-id',
  'session_id',
  'x-session-id',
  'x-session-affinity',
];

/** Longest id kept: a session id is a UUID or so; anything longer is hashed like the rest. */
const MAX_ID_LENGTH = 200;

/**
 * What identifies a conversation across its turns, so that it keeps to one credential (and so to
 * one project's implicit cache): an agent's own session id from the headers or the body
 * (Claude Code's `metadata.user_id` carries `session_id`; Codex sends `prompt_cache_key`), else a
 * hash of the conversation's opening (system prompt and first message) as Google receives it,
 * which is the same on every turn, including turns continued by `previous_response_id` (the
 * Responses store replays the earlier turns into the body). Undefined when there is nothing to go by.
 */
export function conversationKey(
  headers: IncomingHttpHeaders | undefined,
  clientBody: unknown,
  geminiBody: unknown,
): Conversation | undefined {
  const id = sessionIdFrom(headers, clientBody);
  if (id) return { key: `s:${digest(id)}`, continues: true };
  const opening = openingOf(geminiBody);
  if (!opening) return undefined;
  // A first turn known only by its opening may be any client's one-off request ("hello" from a
  // health check): it goes round-robin, and its conversation keeps to where it went from turn two.
  const contents = (geminiBody as { contents: unknown[] }).contents;
  return { key: `o:${digest(opening)}`, continues: contents.length > 1 };
}

function sessionIdFrom(
  headers: IncomingHttpHeaders | undefined,
  body: unknown,
): string | undefined {
  for (const name of SESSION_HEADERS) {
    const value = headers?.[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text && text.length <= MAX_ID_LENGTH) return `${name}:${text}`;
  }
  if (!isRecord(body)) return undefined;
  const metadata = isRecord(body.metadata) ? body.metadata : undefined;
  const userId = metadata?.user_id;
  if (typeof userId === 'string') {
    const session = claudeSession(userId);
    if (session) return `claude:${session}`;
  }
  if (typeof body.prompt_cache_key === 'string' && body.prompt_cache_key !== '') {
    return `cache-key:${body.prompt_cache_key.slice(0, MAX_ID_LENGTH)}`;
  }
  return undefined;
}

/**
 * Claude Code's `metadata.user_id`: a JSON string `{"device_id","account_uuid","session_id"}` in
 * 2.1; earlier builds wrote `user_<hash>_account_<uuid>_session_<uuid>`.
 */
function claudeSession(userId: string): string | undefined {
  if (userId.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(userId);
      if (isRecord(parsed) && typeof parsed.session_id === 'string' && parsed.session_id !== '') {
        return parsed.session_id.slice(0, MAX_ID_LENGTH);
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  return /_session_([\w-]{8,})/.exec(userId)?.[1];
}

/** The system prompt and first message as text, enough to tell conversations apart. */
function openingOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const first = Array.isArray(body.contents) ? body.contents[0] : undefined;
  if (!isRecord(first)) return undefined;
  const system = isRecord(body.systemInstruction) ? textOf(body.systemInstruction) : '';
  const opening = textOf(first);
  return system || opening ? `${system}\u0000${opening}` : undefined;
}

function textOf(content: Record<string, unknown>): string {
  if (!Array.isArray(content.parts)) return '';
  let text = '';
  for (const part of content.parts) {
    if (isRecord(part) && typeof part.text === 'string') text += part.text;
    // Enough to tell openings apart without hashing a whole system prompt of 30 KB twice.
    if (text.length > 8192) break;
  }
  return text.slice(0, 8192);
}

/**
 * Digests of the ids and openings seen last: every turn of a conversation sends the same one, and
 * finding it again costs less than a sha256 with its Hash object. Bounded, the oldest dropped first.
 */
const recent = new Map<string, string>();
const MAX_RECENT = 512;

function digest(text: string): string {
  let hashed = recent.get(text);
  if (hashed === undefined) {
    hashed = createHash('sha256').update(text).digest('base64url').slice(0, 22);
    if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value as string);
    recent.set(text, hashed);
  }
  return hashed;
}

export type { Conversation };
