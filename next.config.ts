import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './server/http/security-headers';

const nextConfig: NextConfig = {
  // `next build` also writes .next/standalone: server.js and only the node_modules it needs, so the
  // console runs as a plain Next.js server (`node .next/standalone/server.js`) on any Node host or in a
  // container. `npm start` (scripts/start.ts) serves the same build with its own listener.
  output: 'standalone',
  // Source files the trace picks up for the outbox page's own reads; tests never ship.
  outputFileTracingExcludes: { '*': ['**/*.test.ts'] },
  // Native module: loaded from node_modules at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tests included) with tsc; the build that `npm start` runs
  // on a first start need not do it again.
  typescript: { ignoreBuildErrors: true },
  // forbidden(): the data access layer answers a refused action or page with HTTP 403 (app/forbidden.tsx).
  experimental: { authInterrupts: true },
  // Pages also get a per-response Content-Security-Policy from proxy.ts.
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
