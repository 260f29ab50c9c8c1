// A cache for answers that may be a few seconds old: concurrent callers share one load, failures are
// not kept, and drop() forgets everything (also an answer still loading when it is called).

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

export class ShortLivedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(readonly ttlMs: number) {}

  /** The cached answer for `key` (younger than ttlMs), or a fresh one from `load`. */
  get(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.ttlMs) return entry.value;
    const fresh: Entry<T> = { at: now, value: load() };
    this.entries.set(key, fresh);
    // A drop() during the load cleared the map, so that answer is not kept either.
    fresh.value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return fresh.value;
  }

  drop(): void {
    this.entries.clear();
  }
}
