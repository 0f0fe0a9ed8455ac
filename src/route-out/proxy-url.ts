/**
 * A proxy URL as logs and pages may show it: scheme, host and port, never the user name or
 * password it carries. Anything that does not parse shows as a placeholder, never as itself.
 */
export function shownProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    const port = url.port || DEFAULT_PORTS[url.protocol] || '';
    return `${url.protocol}//${url.hostname}${port ? `:${port}` : ''}`;
  } catch {
    return '(an unreadable proxy URL)';
  }
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  'http:': '80',
  'https:': '443',
  'socks5:': '1080',
  'socks:': '1080',
};
