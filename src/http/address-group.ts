import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key under which one client is counted (its logins, its connections): its IPv4 address, or
 * the /64 of its IPv6 address, since a single host is routinely given a whole /64 and may pick any
 * address in it.
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what a dual-stack socket reports) counts as the IPv4 address.
 */
export function addressGroup(address: string | undefined): string {
  const ip = (address ?? '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip)) return `${hextets(ip).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and leading zeros dropped. */
function hextets(ip: string): string[] {
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // A dotted IPv4 tail stands for two groups; it lies past the /64, so its value never matters.
  const width = (parts: string[]) => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const gap = tail === undefined ? 0 : 8 - width(left) - width(right);
  return [...left, ...Array<string>(gap).fill('0'), ...right].map((h) =>
    h.includes('.') ? h : parseInt(h, 16).toString(16),
  );
}
