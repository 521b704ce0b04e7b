import type { Stage } from '../pipeline-types.ts';
import { partition } from './partition.ts';

/**
 * Drop a page whose incident is no longer triggered: someone already answered, so waking the next person is noise.
 * Status updates are exactly the news that the incident moved on, and tests, verification codes and hand-off
 * notices have no incident, so all of those pass.
 */
export const staleStage: Stage = (batch) =>
  partition(batch, (o) =>
    o.kind === 'page' && (o.incidentStatus === 'acknowledged' || o.incidentStatus === 'resolved')
      ? { id: o.id, status: 'suppressed', reason: `incident ${o.incidentStatus}` }
      : null,
  );
