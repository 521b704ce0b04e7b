import type { FastifyInstance } from 'fastify';
import type { EpochMs } from '../../../platform/clock.ts';
import { alertmanagerApiRoutes } from './alertmanager-api.routes.ts';
import { alertRoutes } from './alerts.routes.ts';
import { ruleRoutes } from './rules.routes.ts';
import { senderRoutes } from './senders.routes.ts';

/** Every alerting route: the Alertmanager API, the senders' endpoints and Siaga's own alert API. */
export function alertingRoutes(opts: {
  version: string;
  startedAt: EpochMs;
  pagerDutyEventsPerMinute: number;
}) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(alertmanagerApiRoutes(opts));
    await app.register(alertRoutes);
    await app.register(ruleRoutes);
    await app.register(senderRoutes({ pagerDutyEventsPerMinute: opts.pagerDutyEventsPerMinute }));
  };
}
