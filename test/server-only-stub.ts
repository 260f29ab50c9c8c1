// Tests import server modules directly; the real `server-only` marker would throw outside Next.
export {};
