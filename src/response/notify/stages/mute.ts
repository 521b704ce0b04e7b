import type { Stage } from '../pipeline-types.ts';
import { partition } from './partition.ts';

/**
 * Drop pages and status updates for a service under maintenance. Other kinds (tests, verification codes, hand-off
 * notices) are about a person, not a service, so a maintenance window must not swallow them.
 */
export const muteStage: Stage = (batch, input) =>
  partition(batch, (o) =>
    (o.kind === 'page' || o.kind === 'status') &&
    o.serviceId !== null &&
    input.mutedServiceIds.has(o.serviceId)
      ? { id: o.id, status: 'suppressed', reason: 'maintenance window' }
      : null,
  );
