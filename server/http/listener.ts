// The console's HTTP listener, as `npm start` runs it: it listens where HOST (or PUBLIC_URL) says,
// admits a request only when it names the console's own host (and the outbox only from this
// machine) before any route runs, and answers 503 until the console is ready.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { ConfigError, type Env } from '@/server/env';
import { CLIENT_ADDRESS_HEADER, stampClientAddress } from '@/server/sign-in/client-address';
import { admitRequest, isAllowedHost, isLoopbackAddress, LOOPBACK_CLIENT_HEADER } from './admission';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface ConsoleListener {
  server: http.Server;
  /** Serve admitted requests with `handler` from now on (until then: 503 "starting"). */
  serve(handler: RequestHandler): void;
}

type ListenerEnv = Pick<Env, 'port' | 'host' | 'allowedHosts' | 'publicUrl' | 'trustedProxies'>;

/** Listens on env.host:env.port; a taken port or a missing address rejects with a ConfigError. */
export async function startConsoleListener(env: ListenerEnv): Promise<ConsoleListener> {
  let ready: RequestHandler | undefined;
  const publicHost = new URL(env.publicUrl).host;
  const publicProto = new URL(env.publicUrl).protocol.replace(':', '');
  const server = http.createServer((req, res) => {
    // Who is asking (over any header of that name the client sent): the socket's address, or with
    // TRUSTED_PROXIES the address the outermost proxy saw. Behind a proxy on this machine the socket is
    // always loopback, so "is this machine" is judged on this address, not the socket's.
    stampClientAddress(req, env.trustedProxies);
    const client = String(req.headers[CLIENT_ADDRESS_HEADER] ?? '');
    const admission = admitRequest({ host: req.headers.host, url: req.url, remoteAddress: client }, env);
    if (!admission.admitted) {
      res.writeHead(admission.status, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(admission.body);
      return;
    }
    // Only this listener may say a client is local: drop whatever the client sent under that name.
    delete req.headers[LOOPBACK_CLIENT_HEADER];
    // The console's own address is PUBLIC_URL, never a header: Next's server-action origin check then
    // compares with the same origin verifySameOrigin() does.
    req.headers['x-forwarded-host'] = publicHost;
    req.headers['x-forwarded-proto'] = publicProto;
    if (isLoopbackAddress(client)) req.headers[LOOPBACK_CLIENT_HEADER] = '1';
    if (ready) return ready(req, res);
    res.writeHead(503, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'Retry-After': '5',
    });
    res.end(JSON.stringify({ status: 'starting' }));
  });
  // Development mode's live-reload socket: the same Host rule (Next's own upgrade handler runs after).
  server.prependListener('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    if (!isAllowedHost(req.headers.host, env)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError('PORT', `port ${env.port} is already in use; set PORT to a free port`)
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? new ConfigError('HOST', `cannot listen on ${env.host}: no such address on this machine`)
            : error,
      );
    });
    server.listen(env.port, env.host, () => resolve());
  });
  return {
    server,
    serve(handler) {
      ready = handler;
    },
  };
}

/** For the start banner: where the console listens and what that means. */
export function describeListener(env: Pick<Env, 'host' | 'port'>): string {
  if (env.host === undefined) {
    return `every interface, port ${env.port} (PUBLIC_URL is not a loopback address)`;
  }
  const shown = env.host.includes(':') ? `[${env.host}]` : env.host;
  return isLoopbackAddress(env.host) || env.host === 'localhost'
    ? `${shown}:${env.port} (this machine only; set HOST to accept other machines)`
    : `${shown}:${env.port} (HOST)`;
}
