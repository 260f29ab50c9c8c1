import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, clientKey, stampClientAddress } from './client-address';

describe('client address', () => {
  it("replaces whatever the client sent under the header with the socket's address", () => {
    const request = {
      headers: { [CLIENT_ADDRESS_HEADER]: '10.9.9.9', 'x-forwarded-for': '10.8.8.8' },
      socket: { remoteAddress: '::ffff:192.0.2.4' },
    } as unknown as IncomingMessage;
    stampClientAddress(request);
    expect(request.headers[CLIENT_ADDRESS_HEADER]).toBe('::ffff:192.0.2.4');
    expect(clientKey(request.headers[CLIENT_ADDRESS_HEADER] as string)).toBe('192.0.2.4');
  });

  it('reads X-Forwarded-For only as far as TRUSTED_PROXIES proxies appended to it', () => {
    const stamped = (forwardedFor: string | undefined, trustedProxies: number) => {
      const request = {
        headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
        socket: { remoteAddress: '10.0.0.2' },
      } as unknown as IncomingMessage;
      stampClientAddress(request, trustedProxies);
      return request.headers[CLIENT_ADDRESS_HEADER];
    };
    // Not trusted: whatever the client claims, the socket decides.
    expect(stamped('192.0.2.1', 0)).toBe('10.0.0.2');
    // One proxy: the address it appended, not what the client put before it.
    expect(stamped('198.51.100.66, 192.0.2.1', 1)).toBe('192.0.2.1');
    // Two proxies: the address the outer one saw.
    expect(stamped('198.51.100.66, 192.0.2.1, 10.0.0.9', 2)).toBe('192.0.2.1');
    // Fewer entries than proxies, or not an address: the request did not come through them.
    expect(stamped('192.0.2.1', 2)).toBe('10.0.0.2');
    expect(stamped(undefined, 1)).toBe('10.0.0.2');
    expect(stamped('unknown', 1)).toBe('10.0.0.2');
  });

  it('counts IPv4 by address and IPv6 by its /64; anything else is one "unknown" client', () => {
    expect(clientKey('192.0.2.4')).toBe('192.0.2.4');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:0db8:0001:0002::/64');
    expect(clientKey('::1')).toBe('0000:0000:0000:0000::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0000:0000:0000::/64');
    expect(clientKey(null)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });
});
