// The console's own count of its Cognito calls (GET /dev/cognito-calls, on in the browser tests'
// server): each call is counted once answered, so a count that went up says that work is over.
// Specs use it to wait for background work (the link mail sent after the response) instead of a sleep.
import { E2E_BASE_URL } from './environment';

export type CallCounts = Record<string, number>;

export async function consoleCognitoCalls(): Promise<CallCounts> {
  const response = await fetch(`${E2E_BASE_URL}/dev/cognito-calls`);
  if (response.status !== 200) {
    throw new Error(`/dev/cognito-calls answered ${response.status}: is COGNITO_CALL_STATS=1 set?`);
  }
  return ((await response.json()) as { calls: CallCounts }).calls;
}

/** Calls per operation since `before`. */
export function callsSince(before: CallCounts, after: CallCounts): CallCounts {
  return Object.fromEntries(
    Object.entries(after)
      .map(([operation, n]): [string, number] => [operation, n - (before[operation] ?? 0)])
      .filter(([, n]) => n > 0),
  );
}

/**
 * Waits until the console has finished at least `expected` calls of each operation since `before`;
 * returns what it finished by then.
 */
export async function waitForCognitoCalls(
  before: CallCounts,
  expected: CallCounts,
  timeoutMs = 15_000,
): Promise<CallCounts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = callsSince(before, await consoleCognitoCalls());
    if (Object.entries(expected).every(([operation, n]) => (done[operation] ?? 0) >= n)) return done;
    if (Date.now() > deadline) {
      throw new Error(`expected Cognito calls ${JSON.stringify(expected)}, got ${JSON.stringify(done)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A link request's background work, finished: the member look-up (ListUsers) for every request and,
 * for a member, the challenge answer during which the trigger mails the link or decides not to.
 */
export function linkRequestsDone(before: CallCounts, requests: { lookups: number; members: number }) {
  return waitForCognitoCalls(before, {
    ListUsers: requests.lookups,
    AdminRespondToAuthChallenge: requests.members,
  });
}
