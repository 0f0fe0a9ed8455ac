import type { FakeGoogle } from '../fake-google/fake-google';
import type { RunningGenerator } from './harness';

export interface BrowserSession {
  /** The `name=value` of the login cookie, sent back like a browser would. */
  cookie?: string;
  /**
   * The browser's address, as a reverse proxy on the generator's host reports it in
   * X-Forwarded-For (the tests all connect from 127.0.0.1).
   */
  address?: string;
}

export interface LoginStart {
  consentUrl: URL;
  session: BrowserSession;
  setCookie: string;
}

/** Presses "Login with Google" the way a browser posts the form. */
export async function pressLogin(
  gen: RunningGenerator,
  projectId = '',
  session: BrowserSession = {},
): Promise<LoginStart> {
  const res = await fetch(`${gen.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(session.cookie ? { cookie: session.cookie } : {}),
      ...(session.address ? { 'x-forwarded-for': session.address } : {}),
    },
    body: new URLSearchParams({ project_id: projectId }),
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) {
    throw new Error(`POST /login answered ${res.status}: ${await res.text()}`);
  }
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] || session.cookie;
  return { consentUrl: new URL(location), session: { ...session, cookie }, setCookie };
}

/** Picks an account (or Cancel) on the fake consent page; returns where Google redirects to. */
export async function consent(
  fake: FakeGoogle,
  consentUrl: URL,
  choice: { email: string } | 'deny',
): Promise<URL> {
  const page = await (await fetch(consentUrl)).text();
  const selector =
    choice === 'deny' ? 'data-action="deny"' : `data-email="${escapeHtml(choice.email)}"`;
  const match = new RegExp(`<a ${escapeRegExp(selector)} href="([^"]+)"`).exec(page);
  if (!match) throw new Error(`no consent link for ${JSON.stringify(choice)} in:\n${page}`);
  const approve = await fetch(new URL(unescapeHtml(match[1]), fake.url), { redirect: 'manual' });
  const location = approve.headers.get('location');
  if (approve.status !== 302 || !location) throw new Error(`approve answered ${approve.status}`);
  return new URL(location);
}

export interface Page {
  status: number;
  html: string;
  headers: Headers;
}

/**
 * Delivers Google's redirect to the generator. The redirect names DOMAIN_NAME; only its path
 * and query matter, so it is sent to wherever the generator listens.
 */
export async function followCallback(
  gen: RunningGenerator,
  callback: URL,
  session: BrowserSession,
): Promise<Page> {
  const res = await fetch(`${gen.url}${callback.pathname}${callback.search}`, {
    headers: session.cookie ? { cookie: session.cookie } : {},
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

export async function pasteCallback(
  gen: RunningGenerator,
  pasted: string,
  session: BrowserSession,
): Promise<Page> {
  const res = await fetch(`${gen.url}/paste-callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(session.cookie ? { cookie: session.cookie } : {}),
    },
    body: new URLSearchParams({ callback_url: pasted }),
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** The whole walk: form, consent as `email`, callback. */
export async function loginAs(
  gen: RunningGenerator,
  fake: FakeGoogle,
  email: string,
  projectId = '',
): Promise<Page> {
  const start = await pressLogin(gen, projectId);
  const callback = await consent(fake, start.consentUrl, { email });
  return followCallback(gen, callback, start.session);
}

/** The visible text of a page, tags dropped and entities decoded, for readable assertions. */
export function textOf(html: string): string {
  return unescapeHtml(
    html
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<\/?(code|strong|span|a|em|b)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
