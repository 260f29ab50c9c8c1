import type { RateWindowRequest, RateWindowResult } from './rate-window';

/** Refuses a request no implementation can honour, with the reason. */
export function checkRateWindowRequest(request: RateWindowRequest): void {
  if (!request.name) throw new Error('rate window: the limit needs a name');
  if (!Number.isSafeInteger(request.limit) || request.limit <= 0) {
    throw new Error('rate window: limit must be a whole number above 0');
  }
  if (!Number.isSafeInteger(request.windowMs) || request.windowMs <= 0) {
    throw new Error('rate window: windowMs must be a whole number of ms above 0');
  }
  if (!Number.isSafeInteger(request.now) || request.now < 0) {
    throw new Error('rate window: now must be a whole number of ms since the epoch');
  }
}

/** When the window holding `now` starts (ms since the epoch). */
export function windowStart(request: Pick<RateWindowRequest, 'now' | 'windowMs'>): number {
  return request.now - (request.now % request.windowMs);
}

/** The refusal for a full window: try again when the next one starts. */
export function windowFull(request: Pick<RateWindowRequest, 'now' | 'windowMs'>): RateWindowResult {
  return { taken: false, retryAfterMs: Math.max(1, windowStart(request) + request.windowMs - request.now) };
}

/** How long a window's count is kept after it ends (housekeeping only: no take reads an old window). */
export const KEEP_WINDOW_MS = 60 * 60 * 1000;
