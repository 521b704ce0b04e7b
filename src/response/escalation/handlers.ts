import {
  IncidentAcknowledged,
  IncidentOpened,
  IncidentResolved,
  IncidentUnacknowledged,
} from '../../alerting/index.ts';
import { handleJob, type JobHandler } from '../../jobs/index.ts';
import { inTx } from '../../storage/index.ts';
import { handoffScanHandler } from '../notify/handoff-notices.ts';
import { planStatusUpdates } from '../notify/plan.ts';
import { suppressPendingPages } from '../notify/suppress.ts';
import {
  continueEscalation,
  EscalationStep,
  restartEscalation,
  startEscalation,
  stopEscalation,
} from './engine.ts';

/**
 * What the response stage does with alerting's incident facts. Each runs in one transaction and is idempotent:
 * escalation rows are fenced by `seq`, deliveries by their dedup keys.
 */
export const RESPONSE_HANDLERS: readonly JobHandler<any>[] = [
  handleJob(IncidentOpened, (ctx, p) => inTx(ctx, (tx) => startEscalation(tx, p.incidentId))),
  handleJob(EscalationStep, (ctx, p) => inTx(ctx, (tx) => continueEscalation(tx, p.incidentId, p.seq))),
  handleJob(IncidentAcknowledged, (ctx, p) =>
    inTx(ctx, async (tx) => {
      await stopEscalation(tx, p.incidentId, 'acknowledged');
      await suppressPendingPages(tx, p.incidentId, 'incident acknowledged');
      await planStatusUpdates(tx, p.incidentId, 'acknowledged', tx.clock.now());
    }),
  ),
  handleJob(IncidentResolved, (ctx, p) =>
    inTx(ctx, async (tx) => {
      await stopEscalation(tx, p.incidentId, 'resolved');
      await suppressPendingPages(tx, p.incidentId, 'incident resolved');
      await planStatusUpdates(tx, p.incidentId, 'resolved', tx.clock.now());
    }),
  ),
  handleJob(IncidentUnacknowledged, (ctx, p) => inTx(ctx, (tx) => restartEscalation(tx, p.incidentId))),
  handoffScanHandler,
];
