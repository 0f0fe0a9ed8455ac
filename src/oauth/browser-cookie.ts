/** The cookie that ties a login's `state` to the browser that started it. */
export const LOGIN_COOKIE = 'gen_creds_browser';

export const LOGIN_COOKIE_MAX_AGE_MS = 60 * 60_000;
