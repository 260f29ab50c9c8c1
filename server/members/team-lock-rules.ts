import type { LeaseRequest } from './team-lock';

/** Refuses a lease request no implementation can honour, with the reason. */
export function checkLeaseRequest(request: LeaseRequest): void {
  if (!request.name) throw new Error('team lock: the lock needs a name');
  if (!request.owner) throw new Error('team lock: the lease needs an owner');
  if (!Number.isSafeInteger(request.now)) throw new Error('team lock: now must be a whole number of ms');
  if (!Number.isSafeInteger(request.ttlMs) || request.ttlMs <= 0) {
    throw new Error('team lock: ttlMs must be a whole number of ms above 0');
  }
}
