import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

// Every request the console sends to Cognito, counted per operation where each one passes: a
// middleware on the SDK client, below the SDK's retry step, so a throttled call that the SDK retries
// counts once per attempt. Cognito's quotas are per account and shared with the user's own apps
// (DESIGN.md §7); this is how a test or `npm run bench:console` sees what a page view costs.

/** One attempt at one Cognito operation, e.g. `{ operation: 'ListUsers', input: { Limit: 25, … }, users: 25 }`. */
export interface CognitoCall {
  operation: string;
  input: Readonly<Record<string, unknown>>;
  /** How many users the answer listed (ListUsers, ListUsersInGroup); 0 for other answers and failures. */
  users: number;
}

interface CallState {
  counts: Map<string, number>;
  listeners: Set<(call: CognitoCall) => void>;
}

// One tally per process, even where the bundler gives a route its own copy of this module.
const key = Symbol.for('studio-access.cognito-calls');
const holder = globalThis as typeof globalThis & { [key]?: CallState };
holder[key] ??= { counts: new Map(), listeners: new Set() };
const state: CallState = holder[key];

/** Adds the counting middleware to `client` (createCognitoClient does this for every client). */
export function countCognitoCalls(client: CognitoIdentityProviderClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = (args.input ?? {}) as Record<string, unknown>;
      // Counted once answered (or failed), so a count that went up means that call is over.
      const report = (users: number) => {
        state.counts.set(operation, (state.counts.get(operation) ?? 0) + 1);
        for (const listener of state.listeners) listener({ operation, input, users });
      };
      try {
        const result = await next(args);
        const users = (result.output as { Users?: unknown[] } | undefined)?.Users;
        report(Array.isArray(users) ? users.length : 0);
        return result;
      } catch (error) {
        report(0);
        throw error;
      }
    },
    // The deserialize step runs once per attempt, inside the retry middleware (finalizeRequest);
    // high priority puts it outside the deserializer, so it sees the parsed answer.
    { step: 'deserialize', priority: 'high', name: 'studioCognitoCallCount', tags: ['STUDIO_CALL_COUNT'] },
  );
}

/** Attempts per operation since this process started, each counted once it was answered or failed. */
export function cognitoCallCounts(): Record<string, number> {
  return Object.fromEntries([...state.counts].sort(([a], [b]) => a.localeCompare(b)));
}

export interface CallRecording {
  /** Every attempt since the recording started, in the order they were answered. */
  readonly calls: readonly CognitoCall[];
  /** Attempts at `operation` (all operations when omitted). */
  count(operation?: string): number;
  stop(): void;
}

/** Records every Cognito attempt this process makes from now until `stop()`. */
export function recordCognitoCalls(): CallRecording {
  const calls: CognitoCall[] = [];
  const listener = (call: CognitoCall) => {
    calls.push(call);
  };
  state.listeners.add(listener);
  return {
    calls,
    count: (operation) =>
      operation === undefined ? calls.length : calls.filter((c) => c.operation === operation).length,
    stop: () => {
      state.listeners.delete(listener);
    },
  };
}
