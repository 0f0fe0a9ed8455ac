export interface RedirectSetup {
  usesDefaultClient: boolean;
  redirectUri: string;
}

export type RedirectNote =
  /** gemini-cli's client is an installed-app client: Google refuses any non-loopback redirect. */
  | { kind: 'default-client-needs-loopback'; redirectUri: string }
  /** Google accepts plain http redirects for loopback addresses only. */
  | { kind: 'web-client-needs-https'; redirectUri: string };

/** What the login page must warn about before the user meets Google's redirect_uri_mismatch. */
export function redirectNotes(setup: RedirectSetup): RedirectNote[] {
  const url = new URL(setup.redirectUri);
  if (isLoopbackHost(url.hostname)) return [];
  if (setup.usesDefaultClient) {
    return [{ kind: 'default-client-needs-loopback', redirectUri: setup.redirectUri }];
  }
  if (url.protocol !== 'https:') {
    return [{ kind: 'web-client-needs-https', redirectUri: setup.redirectUri }];
  }
  return [];
}

/** `localhost`, 127.0.0.0/8 and `::1`: the addresses Google allows for installed-app clients. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}
