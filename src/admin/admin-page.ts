import { AdminCredential, AdminStatus } from './admin-view';
import { ROUTE_OUT_LOCATION_REASON } from '../upstream/error-classifier';

export interface AdminPageOptions {
  /** Epoch ms the page is rendered at; countdowns and "ago" are relative to it. */
  now: number;
  /** The id of a credential just re-enabled, to confirm it. */
  enabled?: string;
}

/** What `views/admin.hbs` shows: every text already worded, every value still raw for `{{ }}` to escape. */
export interface AdminPage {
  summary: { total: string; ok: number; cooling: number; disabled: number };
  generatedAt: Moment;
  /** Which replica drew the page and where the state it shows comes from. */
  replica: { id: string; sharedState: string };
  /** What the store of `/v1/responses` results holds, in words. */
  responseStore?: string;
  enabled?: string;
  rows: AdminRow[];
  /** "Asked X, Google served Y, N times": empty when every answer came from the model asked. */
  mismatches: MismatchRow[];
  /** Worded count of mismatched answers the bounded table had no room for; null when none. */
  mismatchOverflow: string | null;
}

interface MismatchRow {
  asked: string;
  served: string;
  times: string;
  lastSeen: Moment & { ago: string };
  credential: string;
  note: string;
}

interface Moment {
  iso: string;
  text: string;
}

interface AdminRow {
  id: string;
  state: AdminCredential['state'];
  name: string;
  file: string | null;
  /** The credential's own proxy, scheme://host:port. */
  proxy: string | null;
  oauth: boolean;
  project: string | null;
  /** Shown in the project cell when there is no project. */
  noProject: string;
  disabled: { reason: string; message: string; fixUrl: string | null; since: string } | null;
  cooldowns: { model: string; left: string; reason: string }[];
  requests: number;
  successes: number;
  rateLimits: number;
  errors: number;
  lastUsed: (Moment & { ago: string }) | null;
  lastError: {
    status: number | '';
    reason: string;
    ago: string;
    /** Absent when the state cell already shows the same message. */
    message: { full: string; short: string } | null;
    /** Google refused the place the call left from: the route out is at fault, not the key. */
    routeOut: boolean;
  } | null;
  /** The form that clears the credential's mark; `id` is already URL-encoded for the path. */
  action: { id: string; label: string } | null;
}

const SHARED_STATE_TEXT: Record<AdminStatus['replica']['sharedState'], string> = {
  memory: 'state of this process only',
  redis: 'state shared through Redis',
  'redis-unreachable': 'Redis unreachable: state of this replica only until it returns',
};

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function responseStoreText(store: NonNullable<AdminStatus['responseStore']>): string {
  const count = `${store.entries} stored response${store.entries === 1 ? '' : 's'}`;
  const unshared = store.unshared > 0 ? ` (${store.unshared} on this replica only)` : '';
  return `${count}${unshared}, ${megabytes(store.bytes)} of ${megabytes(store.maxBytes)}`;
}

/** The pool status page's view model. */
export function adminPage(status: AdminStatus, options: AdminPageOptions): AdminPage {
  const { summary } = status;
  return {
    summary: {
      total: `${summary.total} credential${summary.total === 1 ? '' : 's'}`,
      ok: summary.ok,
      cooling: summary.cooling,
      disabled: summary.disabled,
    },
    generatedAt: moment(status.generatedAt),
    replica: { id: status.replica.id, sharedState: SHARED_STATE_TEXT[status.replica.sharedState] },
    responseStore: status.responseStore && responseStoreText(status.responseStore),
    enabled: options.enabled,
    rows: status.credentials.map((c) => row(c, options.now)),
    mismatches: status.servedModels.mismatches.map((m) => ({
      asked: m.asked,
      served: m.served,
      times: m.count === 1 ? 'once' : `${m.count} times`,
      lastSeen: { ...moment(m.lastAt), ago: ago(m.lastAt, options.now) },
      credential: m.lastCredential,
      note: m.announcedSince
        ? `Google re-routes this ID since ${m.announcedSince}`
        : 'not announced by Google',
    })),
    mismatchOverflow: status.servedModels.overflow
      ? `${status.servedModels.overflow} more mismatched answers of other model pairs`
      : null,
  };
}

function row(c: AdminCredential, now: number): AdminRow {
  const d = c.disabled;
  const e = c.lastError;
  // The state column already shows the message that disabled the credential.
  const repeated = e !== null && d?.reason === e.reason && d.message === e.message;
  return {
    id: c.id,
    state: c.state,
    name: c.kind === 'oauth' ? (c.email ?? c.label) : c.label,
    file: c.file,
    proxy: c.proxy ?? null,
    oauth: c.kind === 'oauth',
    project: c.project,
    noProject: c.kind === 'oauth' ? 'not yet discovered' : '—',
    disabled: d && {
      reason: d.reason,
      message: truncate(d.message, 220),
      fixUrl: d.fixUrl,
      since: ago(d.since, now),
    },
    cooldowns: c.cooldowns.map((cd) => ({
      model: cd.model === '*' ? 'all models' : cd.model,
      left: duration(cd.remainingSeconds * 1000),
      reason: cd.reason,
    })),
    requests: c.requests,
    successes: c.successes,
    rateLimits: c.rateLimits,
    errors: c.errors,
    lastUsed: c.lastUsedAt ? { ...moment(c.lastUsedAt), ago: ago(c.lastUsedAt, now) } : null,
    lastError: e && {
      status: e.status || '',
      reason: e.reason,
      ago: ago(e.at, now),
      message: repeated ? null : { full: e.message, short: truncate(e.message, 140) },
      routeOut: e.reason === ROUTE_OUT_LOCATION_REASON,
    },
    action:
      c.state === 'ok'
        ? null
        : {
            id: encodeURIComponent(c.id),
            label: c.state === 'disabled' ? 'Re-enable' : 'Clear cooldown',
          },
  };
}

/** "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function ago(isoTime: string, now: number): string {
  const ms = now - Date.parse(isoTime);
  return ms < 1000 ? 'just now' : `${duration(ms)} ago`;
}

function moment(isoTime: string): Moment {
  return { iso: isoTime, text: `${isoTime.slice(0, 19).replace('T', ' ')} UTC` };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
