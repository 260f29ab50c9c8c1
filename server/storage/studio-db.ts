import path from 'node:path';
import Database from 'better-sqlite3';
import { checkPrivateSqlite, ensurePrivateDir, preparePrivateSqlite } from './file-modes';

/** The app's own database (never the identity service's): DATA_DIR/studio.sqlite. */
export const STUDIO_DB_FILE = 'studio.sqlite';

/**
 * Opens DATA_DIR/studio.sqlite (WAL, busy timeout; the directory 0700, the database's files 0600) and
 * brings one component's tables up to date.
 * Several stores share the file, so each keeps its own version in `schema_versions`; `migrations` is
 * append-only, each entry run once, in order.
 */
export function openStudioDb(dataDir: string, component: string, migrations: readonly string[]) {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, STUDIO_DB_FILE);
  preparePrivateSqlite(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // IMMEDIATE: two processes opening one fresh directory must not both run a migration.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    const row = db
      .prepare<[string], { version: number }>('SELECT version FROM schema_versions WHERE component = ?')
      .get(component);
    const record = db.prepare(
      'INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
    );
    for (let v = row?.version ?? 0; v < migrations.length; v++) {
      db.exec(migrations[v]!);
      record.run(component, v + 1);
    }
  }).immediate();
  checkPrivateSqlite(file);
  return db;
}
