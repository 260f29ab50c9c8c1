import type { IncomingMessage } from 'node:http';
import { isIP, isIPv6 } from 'node:net';

// Who is asking, for the per-client limits: the remote address of the TCP connection, stamped onto
// the request by the console's own HTTP server (scripts/start.ts) before Next.js sees it, over any
// header of that name the client sent. X-Forwarded-For is read only when TRUSTED_PROXIES says how
// many proxies in front of the console append to it (anyone can write the header); otherwise, behind
// a reverse proxy, every request comes from the proxy and its users share one allowance.

export const CLIENT_ADDRESS_HEADER = 'x-studio-client-address';

/**
 * Overwrites whatever the client sent under CLIENT_ADDRESS_HEADER with the client's address: the
 * socket's, or with `trustedProxies` proxies in front, the address the outermost of them saw (that
 * many entries from the right of X-Forwarded-For; the socket's when the header is short or not an
 * address, as when a request bypassed the proxies).
 */
export function stampClientAddress(request: IncomingMessage, trustedProxies = 0): void {
  const socket = request.socket.remoteAddress ?? '';
  let address = socket;
  if (trustedProxies > 0) {
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim());
    const seen = hops.length >= trustedProxies ? hops[hops.length - trustedProxies]! : '';
    address = isIP(seen) ? seen : socket;
  }
  request.headers[CLIENT_ADDRESS_HEADER] = address;
}

/**
 * The key one client's attempts are counted under: the IPv4 address (IPv4-mapped IPv6 included), or
 * the /64 an IPv6 address is in (one host usually holds a whole /64). 'unknown' for anything else.
 */
export function clientKey(address: string | null | undefined): string {
  const value = (address ?? '').trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value);
  if (mapped) return mapped[1]!;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return value;
  if (isIPv6(value)) return `${expandIPv6(value).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

function expandIPv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = address.includes('::') ? [...left, ...Array(missing).fill('0'), ...right] : left;
  return groups.map((group) => group.padStart(4, '0'));
}
