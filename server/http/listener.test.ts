import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/scripts/free-port';
import { LOOPBACK_CLIENT_HEADER } from './admission';
import { type ConsoleListener, startConsoleListener } from './listener';

const open: ConsoleListener[] = [];
afterEach(async () => {
  for (const listener of open.splice(0)) {
    listener.server.closeAllConnections();
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
  }
});

async function listen(host: string | undefined, trustedProxies = 0) {
  const port = await freePort();
  const listener = await startConsoleListener({
    port,
    host,
    publicUrl: `http://localhost:${port}`,
    allowedHosts: [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`],
    trustedProxies,
  });
  open.push(listener);
  return { listener, port };
}

function get(
  address: string,
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: address, port, path, headers, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function connectError(address: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

describe('the console listener', () => {
  it('listens on 127.0.0.1 only when HOST says loopback: another address, even on this machine, is refused', async () => {
    const { port } = await listen('127.0.0.1');
    expect(await connectError('127.0.0.1', port)).toBeUndefined();
    // 127.0.0.2 is this machine too, but not the address listened on: a wildcard listener would accept it.
    expect(await connectError('127.0.0.2', port)).toBe('ECONNREFUSED');
  });

  it('answers a foreign Host with 421 before the console is ready and after, without running a route', async () => {
    const { listener, port } = await listen('127.0.0.1');
    let routed = 0;
    const foreign = { Host: `evil.example:${port}` };
    expect((await get('127.0.0.1', port, '/dev/outbox', foreign)).status).toBe(421);
    expect(await get('127.0.0.1', port, '/api/health', { Host: `localhost:${port}` })).toMatchObject({
      status: 503,
    });
    listener.serve((_req, res) => {
      routed++;
      res.end('page');
    });
    const refused = await get('127.0.0.1', port, '/login', foreign);
    expect(refused.status).toBe(421);
    expect(refused.body).toContain(`Open http://localhost:${port}`);
    expect(routed).toBe(0);
    expect(await get('127.0.0.1', port, '/login', { Host: `127.0.0.1:${port}` })).toEqual({
      status: 200,
      body: 'page',
    });
    expect(routed).toBe(1);
  });

  it('marks loopback clients itself, drops a mark a client sent, and names PUBLIC_URL as the forwarded host', async () => {
    const { listener, port } = await listen(undefined);
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    listener.serve((req, res) => {
      seen.push({ ...req.headers });
      res.end();
    });
    await get('127.0.0.1', port, '/', {
      Host: `localhost:${port}`,
      [LOOPBACK_CLIENT_HEADER]: 'forged',
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'https',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      [LOOPBACK_CLIENT_HEADER]: '1',
      'x-forwarded-host': `localhost:${port}`,
      'x-forwarded-proto': 'http',
    });
  });

  it('behind a trusted proxy on this machine, judges "this machine" by the address the proxy saw', async () => {
    const { listener, port } = await listen('127.0.0.1', 1);
    const marks: Array<string | undefined> = [];
    listener.serve((req, res) => {
      marks.push(req.headers[LOOPBACK_CLIENT_HEADER] as string | undefined);
      res.end('page');
    });
    const viaProxy = (client: string) => ({ Host: `localhost:${port}`, 'X-Forwarded-For': client });
    // A visitor from the network, through the proxy: no outbox, and not marked as local.
    expect((await get('127.0.0.1', port, '/dev/outbox', viaProxy('192.168.1.20'))).status).toBe(404);
    expect((await get('127.0.0.1', port, '/login', viaProxy('192.168.1.20'))).status).toBe(200);
    // The operator on this machine, through the same proxy.
    expect((await get('127.0.0.1', port, '/dev/outbox', viaProxy('127.0.0.1'))).status).toBe(200);
    expect(marks).toEqual([undefined, '1']);
  });

  it('names PORT when the port is taken', async () => {
    const { port } = await listen('127.0.0.1');
    await expect(
      startConsoleListener({
        port,
        host: '127.0.0.1',
        publicUrl: 'http://localhost',
        allowedHosts: [],
        trustedProxies: 0,
      }),
    ).rejects.toThrow(`PORT: port ${port} is already in use; set PORT to a free port`);
  });
});
