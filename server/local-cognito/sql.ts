// Prepared statements, compiled once per database connection and reused by every call.
import type { Statement, Transaction } from 'better-sqlite3';
import type { Db } from './db';

const caches = new WeakMap<Db, Map<string, Statement>>();

/** The prepared statement for `sql` on `db`, compiled on first use. */
export function stmt(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

const runners = new WeakMap<Db, Transaction<(fn: () => unknown) => unknown>>();

/**
 * Runs `fn` in a write transaction that takes the database lock up front (BEGIN IMMEDIATE), so a
 * check-then-write inside it cannot race another connection or process.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((body: () => unknown) => body());
    runners.set(db, run);
  }
  return run.immediate(fn) as T;
}
