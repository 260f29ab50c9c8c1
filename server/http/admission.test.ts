import { describe, expect, it } from 'vitest';
import { admitRequest, isLoopbackAddress } from './admission';

const env = {
  publicUrl: 'http://localhost:3000',
  allowedHosts: ['localhost:3000', '127.0.0.1:3000', '[::1]:3000'],
};

const request = (host: string | undefined, url = '/', remoteAddress = '127.0.0.1') => ({
  host,
  url,
  remoteAddress,
});

describe('admitRequest', () => {
  it("admits PUBLIC_URL's host and its loopback aliases, in any case", () => {
    for (const host of ['localhost:3000', 'LOCALHOST:3000', '127.0.0.1:3000', '[::1]:3000']) {
      expect(admitRequest(request(host), env)).toEqual({ admitted: true });
    }
  });

  it('refuses any other Host, a missing one and another port, before any route (DNS rebinding)', () => {
    for (const host of [
      undefined,
      '',
      'evil.example:3000',
      'localhost',
      'localhost:3001',
      'localhost:3000.evil',
    ]) {
      const verdict = admitRequest(request(host), env);
      expect(verdict.admitted).toBe(false);
      expect(!verdict.admitted && verdict.status).toBe(421);
      expect(!verdict.admitted && verdict.body).toContain('Open http://localhost:3000');
    }
  });

  it("answers the health check under any Host (a load balancer names the instance's address)", () => {
    expect(admitRequest(request('10.0.3.17:3000', '/api/health'), env)).toEqual({ admitted: true });
    expect(admitRequest(request('10.0.3.17:3000', '/api/health/x'), env).admitted).toBe(false);
    expect(admitRequest(request('10.0.3.17:3000', '/api/healthz'), env).admitted).toBe(false);
  });

  it('answers the outbox only to this machine, whatever the spelling of its path', () => {
    const paths = [
      '/dev/outbox',
      '/dev/outbox?id=1',
      '//dev/outbox',
      '/x/../dev/outbox',
      '/%64ev/outbox',
      '/dev',
    ];
    for (const url of paths) {
      expect(admitRequest(request('localhost:3000', url, '192.168.1.20'), env)).toEqual({
        admitted: false,
        status: 404,
        body: 'Not found\n',
      });
      expect(admitRequest(request('localhost:3000', url, '::ffff:10.0.0.3'), env).admitted).toBe(false);
      expect(admitRequest(request('localhost:3000', url, '127.0.0.1'), env).admitted).toBe(true);
      expect(admitRequest(request('localhost:3000', url, '::ffff:127.0.0.1'), env).admitted).toBe(true);
    }
    // Other pages are for every client the console answers.
    expect(admitRequest(request('localhost:3000', '/login', '192.168.1.20'), env).admitted).toBe(true);
    expect(admitRequest(request('localhost:3000', '/developers', '192.168.1.20'), env).admitted).toBe(true);
  });
});

describe('isLoopbackAddress', () => {
  it('knows 127.0.0.0/8, ::1 and their IPv6-mapped forms, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address)).toBe(true);
    }
    for (const address of [
      undefined,
      '',
      '10.0.0.1',
      '::ffff:10.0.0.1',
      '::',
      '0.0.0.0',
      'fe80::1',
      '128.0.0.1',
    ]) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
  });
});
