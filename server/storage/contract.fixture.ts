// Shared by the contract suites (one suite, every implementation of a port): each test opens its
// implementation on fresh data, and whatever a test opened is closed after it.
import { afterEach } from 'vitest';

export interface Closable {
  close(): Promise<void> | void;
}

/** Call inside a describe: the returned `fresh()` opens one more, closed after the current test. */
export function openedPerTest<O extends Closable>(open: () => Promise<O>): () => Promise<O> {
  const opened: O[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  return async () => {
    const o = await open();
    opened.push(o);
    return o;
  };
}
