import { AdminCredential, AdminStatus } from './admin-view';
import { html, Html } from './html';

export interface AdminPageOptions {
  /** Epoch ms the page is rendered at; countdowns and "ago" are relative to it. */
  now: number;
  /** The id of a credential just re-enabled, to confirm it. */
  enabled?: string;
}

/**
 * The pool status page: one self-contained HTML document (inline CSS, no script, no external
 * asset) listing every credential with its state, counters and what to do about it.
 */
export function renderAdminPage(status: AdminStatus, options: AdminPageOptions): string {
  const { summary } = status;
  const rows = status.credentials.map((c) => row(c, options.now));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>Credential pool · Gemini proxy</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <header>
          <h1>Credential pool</h1>
          <p class="summary">
            <span>${summary.total} credential${summary.total === 1 ? '' : 's'}</span>
            <span class="pill ok">${summary.ok} ok</span>
            <span class="pill cooling">${summary.cooling} cooling</span>
            <span class="pill disabled">${summary.disabled} disabled</span>
            <span class="muted"
              >as of
              <time datetime="${status.generatedAt}">${displayTime(status.generatedAt)}</time></span
            >
            <a href="/admin">Refresh</a>
          </p>
        </header>
        ${options.enabled ? html`<p class="flash" role="status">Re-enabled <strong>${options.enabled}</strong>; it takes requests again.</p>` : ''}
        <main>
          ${
            rows.length === 0
              ? html`<p class="empty">
                  No credentials are loaded. Log Google accounts in with
                  <code>npm run gen-creds</code>, or set <code>GEMINI_API_KEYS</code> or
                  <code>CREDENTIALS_JSON_LIST</code>.
                </p>`
              : html`<div class="scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Credential</th>
                        <th scope="col">Kind</th>
                        <th scope="col">Project</th>
                        <th scope="col">State</th>
                        <th scope="col" class="num">Requests</th>
                        <th scope="col" class="num">Successes</th>
                        <th scope="col" class="num">Rate limits</th>
                        <th scope="col" class="num">Errors</th>
                        <th scope="col">Last use</th>
                        <th scope="col">Last error</th>
                        <th scope="col"><span class="sr">Action</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${rows}
                    </tbody>
                  </table>
                </div>`
          }
          <p class="foot muted">
            JSON: <a href="/admin/credentials">/admin/credentials</a> · Metrics:
            <a href="/metrics">/metrics</a>. Cooling credentials come back by themselves; disabled
            ones need the fix shown, then <em>Re-enable</em> (a changed credential file re-enables
            its account too).
          </p>
        </main>
      </body>
    </html> `.text;
}

function row(c: AdminCredential, now: number): Html {
  return html`<tr class="state-${c.state}" data-id="${c.id}">
    <td class="who">
      <strong>${c.kind === 'oauth' ? (c.email ?? c.label) : c.label}</strong
      >${c.file ? html`<div class="sub">${c.file}</div>` : ''}
    </td>
    <td class="kind">
      ${
        c.kind === 'oauth'
          ? html`OAuth
              <div class="sub">Code Assist</div>`
          : html`API key
              <div class="sub">Gemini API</div>`
      }
    </td>
    <td class="project">
      ${c.project ?? html`<span class="muted">${c.kind === 'oauth' ? 'not yet discovered' : '—'}</span>`}
    </td>
    <td class="state">${stateCell(c, now)}</td>
    <td class="num">${c.requests}</td>
    <td class="num">${c.successes}</td>
    <td class="num">${c.rateLimits}</td>
    <td class="num">${c.errors}</td>
    <td>
      ${c.lastUsedAt ? html`<time datetime="${c.lastUsedAt}" title="${displayTime(c.lastUsedAt)}">${ago(c.lastUsedAt, now)}</time>` : html`<span class="muted">never</span>`}
    </td>
    <td class="error">${lastErrorCell(c, now)}</td>
    <td class="action">
      ${
        c.state === 'ok'
          ? ''
          : html`<form method="post" action="/admin/credentials/${encodeURIComponent(c.id)}/enable">
              <button type="submit">
                ${c.state === 'disabled' ? 'Re-enable' : 'Clear cooldown'}
              </button>
            </form>`
      }
    </td>
  </tr>`;
}

function lastErrorCell(c: AdminCredential, now: number): Html {
  const e = c.lastError;
  if (!e) return html`<span class="muted">none</span>`;
  // The state column already shows the message that disabled the credential.
  const repeated = c.disabled?.reason === e.reason && c.disabled.message === e.message;
  return html`<span class="code">${e.status || ''} ${e.reason}</span>
    <div class="sub">${ago(e.at, now)}</div>
    ${repeated ? '' : html`<div class="msg" title="${e.message}">${truncate(e.message, 140)}</div>`}`;
}

function stateCell(c: AdminCredential, now: number): Html {
  if (c.disabled) {
    const d = c.disabled;
    return html`<span class="badge disabled">disabled</span>
      <div class="reason">${d.reason}</div>
      <div class="msg">${truncate(d.message, 220)}</div>
      ${d.fixUrl ? html`<a class="fix" href="${d.fixUrl}" target="_blank" rel="noopener noreferrer">How to fix ↗</a>` : ''}
      <div class="sub">since ${ago(d.since, now)}</div>`;
  }
  if (c.cooldowns.length > 0) {
    return html`<span class="badge cooling">cooling</span>
      <ul class="cooldowns">
        ${c.cooldowns.map(
          (cd) =>
            html`<li>
              <code>${cd.model === '*' ? 'all models' : cd.model}</code>
              <span class="left">${duration(cd.remainingSeconds * 1000)} left</span>
              <span class="muted">${cd.reason}</span>
            </li>`,
        )}
      </ul>`;
  }
  return html`<span class="badge ok">ok</span>`;
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

function displayTime(isoTime: string): string {
  return `${isoTime.slice(0, 19).replace('T', ' ')} UTC`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const STYLE = new Html(`
:root { color-scheme: light; --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#f6f8fa;
  --ok:#1a7f37; --ok-bg:#dafbe1; --cool:#9a6700; --cool-bg:#fff8c5; --off:#cf222e; --off-bg:#ffebe9; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 40px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 22px; margin: 0 0 6px; }
.summary { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 0 0 18px; }
.pill { padding: 1px 9px; border-radius: 999px; font-weight: 600; font-size: 12px; }
.pill.ok { color: var(--ok); background: var(--ok-bg); }
.pill.cooling { color: var(--cool); background: var(--cool-bg); }
.pill.disabled { color: var(--off); background: var(--off-bg); }
.muted { color: var(--muted); }
a { color: #0969da; }
.flash { background: var(--ok-bg); border: 1px solid #aceebb; padding: 8px 12px; border-radius: 6px; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; min-width: 980px; }
th, td { text-align: left; vertical-align: top; padding: 9px 8px; border-bottom: 1px solid var(--line); }
thead th { background: var(--bg); font-size: 11px; text-transform: uppercase; letter-spacing: .02em; color: var(--muted); white-space: nowrap; }
tbody tr:last-child td { border-bottom: 0; }
tr.state-disabled td.who { box-shadow: inset 3px 0 0 var(--off); }
tr.state-cooling td.who { box-shadow: inset 3px 0 0 #d4a72c; }
tr.state-ok td.who { box-shadow: inset 3px 0 0 #4ac26b; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
td.kind { white-space: nowrap; }
td.action { width: 1%; white-space: nowrap; }
thead th.num { white-space: normal; }
/* Long emails, file names and project ids wrap anywhere, so that they never push the action column out of a laptop window. */
td.who, td.project { overflow-wrap: anywhere; }
td.who { min-width: 170px; }
td.project { min-width: 80px; }
.sub { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 4px; font-size: 12px; font-weight: 600; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.cooling { color: var(--cool); background: var(--cool-bg); }
.badge.disabled { color: var(--off); background: var(--off-bg); }
td.state { min-width: 180px; max-width: 300px; }
.reason { font-weight: 600; margin-top: 4px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.msg { color: var(--fg); font-size: 12.5px; margin-top: 2px; overflow-wrap: anywhere; }
.fix { display: inline-block; margin-top: 4px; font-weight: 600; }
ul.cooldowns { list-style: none; margin: 4px 0 0; padding: 0; }
ul.cooldowns li { margin: 2px 0; }
.left { font-weight: 600; white-space: nowrap; }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
td.error { min-width: 170px; max-width: 240px; }
td.error .code { overflow-wrap: anywhere; }
button { font: inherit; font-size: 13px; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); cursor: pointer; white-space: nowrap; }
button:hover { background: #eaeef2; }
.empty { padding: 16px; border: 1px dashed var(--line); border-radius: 8px; }
.foot { margin-top: 14px; font-size: 12.5px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`);
