// What the console's listener admits before any route runs: requests that name the console's own
// host (DNS rebinding gives a foreign page our address but never our name), and, for the outbox,
// only programs on this machine. Pure functions over a request's headers and socket, shared by the
// start script's listener and by proxy.ts.
import type { Env } from '@/server/env';

/** Set by the start script's listener on requests from a loopback socket; any incoming copy is dropped. */
export const LOOPBACK_CLIENT_HEADER = 'x-studio-loopback-client';

export type Admission = { admitted: true } | { admitted: false; status: number; body: string };

const ADMITTED: Admission = { admitted: true };

/** Whether `Host` (as sent, any case) is one the console answers to. */
export function isAllowedHost(host: string | null | undefined, env: Pick<Env, 'allowedHosts'>): boolean {
  if (!host) return false;
  return env.allowedHosts.includes(host.toLowerCase());
}

/** A socket's remote address is this machine: 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Paths only this machine may open: the outbox shows every sign-in link and temporary password. */
export function isLocalOnlyPath(pathname: string): boolean {
  return pathname === '/dev' || pathname.startsWith('/dev/') || pathname.startsWith('/dev.');
}

/**
 * The health check answers whatever Host it is asked under: a load balancer's checks name the
 * instance's own address, and the answer ("ok" or "unavailable") tells a rebound page nothing.
 */
export function isHealthCheck(pathname: string): boolean {
  return pathname === '/api/health';
}

/** The verdict for one request, from its Host header, path and the socket's remote address. */
export function admitRequest(
  request: { host: string | undefined; url: string | undefined; remoteAddress: string | undefined },
  env: Pick<Env, 'allowedHosts' | 'publicUrl'>,
): Admission {
  const pathname = pathOf(request.url);
  if (!isAllowedHost(request.host, env) && !isHealthCheck(pathname)) {
    return {
      admitted: false,
      status: 421,
      body: `Refused: this server answers only as ${env.publicUrl}, and the request named another host. Open ${env.publicUrl}.\n`,
    };
  }
  if (isLocalOnlyPath(pathname) && !isLoopbackAddress(request.remoteAddress)) {
    return { admitted: false, status: 404, body: 'Not found\n' };
  }
  return ADMITTED;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  let pathname = end === -1 ? raw : raw.slice(0, end);
  try {
    pathname = decodeURIComponent(pathname);
  } catch {
    // Malformed escapes: judge the path as sent.
  }
  // `//dev/outbox` and `/./dev/outbox` are the same route to Next: judge the normalised path.
  return new URL(pathname.replace(/^\/+/, '/'), 'http://x').pathname;
}
