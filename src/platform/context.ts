import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { IdGenerator } from './ids.ts';

/** Who is doing something. Every verb knows its actor; audit and timeline entries record it. */
export type Actor = { readonly kind: 'system'; readonly name: string } | { readonly kind: 'anonymous' };

export const systemActor = (name: string): Actor => ({ kind: 'system', name });

/** What every verb may use besides the database. Time, ids and randomness are inputs, never globals. */
export interface Services {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: Logger;
  /** Uniform in [0, 1); injected so retry jitter is deterministic in tests. */
  readonly random: () => number;
}
