import { openStudioDb } from '@/server/storage/studio-db';
import type { RateWindowStore } from './rate-window';
import { checkRateWindowRequest, KEEP_WINDOW_MS, windowFull, windowStart } from './rate-window-rules';

// Shared rate windows in DATA_DIR/studio.sqlite: one row per name and window, counted up by one
// statement whose condition is the limit, and SQLite serialises writers, so every process on the
// data directory shares the count. Rows of windows long over are deleted now and then.

const COMPONENT = 'rate-windows';
// Append-only: each entry runs once, in order.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE rate_windows (
    name TEXT NOT NULL,
    window_ms INTEGER NOT NULL,
    window_start INTEGER NOT NULL,          -- ms; the window is [start, start + window_ms)
    count INTEGER NOT NULL,
    PRIMARY KEY (name, window_ms, window_start)
  ) WITHOUT ROWID;
  `,
];

/** Old windows are deleted at most this often per process. */
const PRUNE_INTERVAL_MS = 60_000;

export type SqliteRateWindowStore = RateWindowStore & { close(): void };

export function openSqliteRateWindows(dataDir: string): SqliteRateWindowStore {
  const db = openStudioDb(dataDir, COMPONENT, MIGRATIONS);
  const count = db.prepare<[string, number, number, number]>(
    `INSERT INTO rate_windows (name, window_ms, window_start, count) VALUES (?, ?, ?, 1)
     ON CONFLICT (name, window_ms, window_start) DO UPDATE SET count = count + 1
     WHERE rate_windows.count < ?`,
  );
  const prune = db.prepare<[number]>('DELETE FROM rate_windows WHERE window_start + window_ms < ?');
  let lastPrune = Number.NEGATIVE_INFINITY;

  return {
    async take(request) {
      checkRateWindowRequest(request);
      if (request.now - lastPrune >= PRUNE_INTERVAL_MS) {
        lastPrune = request.now;
        prune.run(request.now - KEEP_WINDOW_MS);
      }
      const start = windowStart(request);
      const { changes } = count.run(request.name, request.windowMs, start, request.limit);
      return changes > 0 ? { taken: true } : windowFull(request);
    },
    close: () => db.close(),
  };
}
