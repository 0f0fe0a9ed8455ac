import express from 'express';
import { VIEWS_DIR } from '../http/views';
import { AdminPageOptions, adminPage, duration } from './admin-page';
import { AdminStatus } from './admin-view';

const NOW = Date.parse('2026-11-24T10:00:00Z');

describe('duration', () => {
  it.each([
    [0, '0 s'],
    [42_000, '42 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [7_800_000, '2 h 10 min'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
  ])('%i ms reads %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });
});

/** Renders views/admin.hbs through the engine the proxy sets up (useViews). */
function renderAdminPage(status: AdminStatus, options: AdminPageOptions): Promise<string> {
  const app = express().set('views', VIEWS_DIR).set('view engine', 'hbs');
  return new Promise((resolve, reject) =>
    app.render('admin', { ...adminPage(status, options), layout: false }, (error, html) =>
      error ? reject(error) : resolve(html),
    ),
  );
}

describe('views/admin.hbs', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const status: AdminStatus = {
    generatedAt: new Date(NOW).toISOString(),
    replica: { id: 'replica-a', sharedState: 'redis' },
    summary: { total: 1, ok: 0, cooling: 0, disabled: 1 },
    credentials: [
      {
        id: 'x@example.com/p#2',
        kind: 'oauth',
        label: hostile,
        email: null,
        project: 'p',
        file: null,
        state: 'disabled',
        cooldowns: [],
        disabled: {
          reason: 'VALIDATION_REQUIRED',
          message: hostile,
          fixUrl: 'https://accounts.google.com/v?a=1&b=2',
          since: new Date(NOW).toISOString(),
        },
        requests: 1,
        successes: 0,
        rateLimits: 0,
        errors: 1,
        lastUsedAt: new Date(NOW - 5_000).toISOString(),
        lastError: null,
      },
    ],
    servedModels: { mismatches: [], overflow: 0 },
  };

  it('names the replica that drew the page and where its state comes from', async () => {
    const page = await renderAdminPage(status, { now: NOW });
    expect(page).toContain('replica replica-a · state shared through Redis');
  });

  it('escapes everything that came from Google or a credential file', async () => {
    const page = await renderAdminPage(status, { now: NOW });
    expect(page).not.toContain(hostile);
    expect(page).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('links the fix and encodes the id in the form action, which carries no password', async () => {
    const page = await renderAdminPage(status, { now: NOW });
    // Handlebars escapes `=` too (as &#x3D;); a browser reads the address unchanged.
    expect(page).toContain('href="https://accounts.google.com/v?a&#x3D;1&amp;b&#x3D;2"');
    expect(page).toContain('action="/admin/credentials/x%40example.com%2Fp%232/enable"');
    expect(page).not.toMatch(/[?&]key=/);
    expect(page).toContain('5 s ago');
  });

  it('shows no served-model table while every answer came from the model asked', async () => {
    const page = await renderAdminPage(status, { now: NOW });
    expect(page).not.toContain('Answered by another model');
  });

  it('shows each asked/served pair with its count, and escapes the names', async () => {
    const page = await renderAdminPage(
      {
        ...status,
        servedModels: {
          mismatches: [
            {
              asked: 'gemini-2.5-pro',
              served: 'gemini-3.8-flash',
              count: 3,
              lastAt: new Date(NOW - 60_000).toISOString(),
              lastCredential: 'key...abcde',
              announcedSince: '2026-12-01',
            },
            {
              asked: 'gemini-3.6-flash',
              served: hostile,
              count: 1,
              lastAt: new Date(NOW).toISOString(),
              lastCredential: 'key...fghij',
              announcedSince: null,
            },
          ],
          overflow: 4,
        },
      },
      { now: NOW },
    );
    const table = page.slice(page.indexOf('Answered by another model'));
    expect(table).toMatch(
      /<code>gemini-2\.5-pro<\/code><\/td>\s*<td><code>gemini-3\.8-flash<\/code><\/td>\s*<td class="num">3 times<\/td>/,
    );
    expect(table).toContain('Google re-routes this ID since 2026-12-01');
    expect(table).toContain('not announced by Google');
    expect(table).toContain('4 more mismatched answers of other model pairs');
    expect(page).not.toContain(hostile);
  });
});
