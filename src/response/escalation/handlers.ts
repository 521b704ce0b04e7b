import {
  IncidentAcknowledged,
  IncidentOpened,
  IncidentResolved,
  IncidentUnacknowledged,
} from '../../alerting/index.ts';
import { handleJob, handleJobsInBatches, type JobHandler } from '../../jobs/index.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
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
 * Incident facts arrive in storms (an outage opens hundreds of incidents, and resolves them together): under a
 * backlog the runner hands over up to this many in one transaction.
 */
const FACT_BATCH = 100;

/** These handlers only read and write the database: each commits with its job's completion. */
const DB_ONLY = { transactional: true } as const;

/** Acknowledged or resolved: escalation stops, pages not yet sent are dropped, everyone told is told this too. */
function stopAndTell(event: 'acknowledged' | 'resolved') {
  return (ctx: Ctx, facts: readonly { incidentId: string }[]) =>
    inTx(ctx, async (tx) => {
      for (const p of facts) {
        await stopEscalation(tx, p.incidentId, event);
        await suppressPendingPages(tx, p.incidentId, `incident ${event}`);
        await planStatusUpdates(tx, p.incidentId, event, tx.clock.now());
      }
    });
}

/**
 * What the response stage does with alerting's incident facts. Each batch runs in one transaction and is
 * idempotent: escalation rows are fenced by `seq`, deliveries by their dedup keys.
 */
export const RESPONSE_HANDLERS: readonly JobHandler<any>[] = [
  handleJobsInBatches(
    IncidentOpened,
    FACT_BATCH,
    (ctx, facts) =>
      inTx(ctx, async (tx) => {
        for (const p of facts) await startEscalation(tx, p.incidentId);
      }),
    DB_ONLY,
  ),
  handleJob(
    EscalationStep,
    (ctx, p) => inTx(ctx, (tx) => continueEscalation(tx, p.incidentId, p.seq)),
    DB_ONLY,
  ),
  handleJobsInBatches(IncidentAcknowledged, FACT_BATCH, stopAndTell('acknowledged'), DB_ONLY),
  handleJobsInBatches(IncidentResolved, FACT_BATCH, stopAndTell('resolved'), DB_ONLY),
  handleJob(
    IncidentUnacknowledged,
    (ctx, p) => inTx(ctx, (tx) => restartEscalation(tx, p.incidentId)),
    DB_ONLY,
  ),
  handoffScanHandler,
];
