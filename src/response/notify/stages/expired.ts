import type { Stage } from '../pipeline-types.ts';
import { partition } from './partition.ts';

/**
 * Drop messages to a contact method that expired after they were queued: a later rule's page, the next round's, a
 * status update to a browser whose push subscription the push service has since answered 404/410 for. They would
 * fail the same way. What a person asked for still goes out, as in the mute stage: a test message (a drill waits
 * for its outcome) and a verification code.
 */
export const expiredStage: Stage = (batch, input) =>
  partition(batch, (o) =>
    o.kind !== 'test' && o.kind !== 'verification' && input.expiredDestinations.has(o.destination)
      ? {
          id: o.id,
          status: 'suppressed',
          reason: o.channelKind === 'push' ? 'push subscription expired' : 'contact method expired',
        }
      : null,
  );
