/** The console's pages, in the order of its tabs; a new page is one line here. */
const CONSOLE_PAGES = [
  { id: 'pool', label: 'Pool', href: '/admin' },
  { id: 'usage', label: 'Usage', href: '/admin/usage' },
  { id: 'keys', label: 'Keys', href: '/admin/keys' },
  { id: 'credentials', label: 'Credentials', href: '/admin/pool-credentials' },
  { id: 'audit', label: 'Audit', href: '/admin/audit' },
] as const;

export type ConsolePageId = (typeof CONSOLE_PAGES)[number]['id'];

export interface ConsoleNavLink {
  label: string;
  href: string;
  current: boolean;
}

/** The tabs every console page shows at its top, `current` marking the page drawn. */
export function consoleNav(current: ConsolePageId): ConsoleNavLink[] {
  return CONSOLE_PAGES.map((p) => ({ label: p.label, href: p.href, current: p.id === current }));
}
