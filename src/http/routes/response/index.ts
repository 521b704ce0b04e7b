import type { FastifyInstance } from 'fastify';
import { callbackRoutes } from './callbacks.routes.ts';
import { channelRoutes } from './channels.routes.ts';
import { notifyRoutes } from './notify.routes.ts';
import { peopleRoutes } from './people.routes.ts';
import { policyRoutes } from './policies.routes.ts';
import { scheduleRoutes } from './schedules.routes.ts';
import { webPushRoutes } from './web-push.routes.ts';

/** Stage 3's API: schedules, escalation policies, people's contact methods, channels, deliveries and callbacks. */
export async function responseRoutes(app: FastifyInstance): Promise<void> {
  await app.register(scheduleRoutes);
  await app.register(policyRoutes);
  await app.register(peopleRoutes);
  await app.register(channelRoutes);
  await app.register(notifyRoutes);
  await app.register(callbackRoutes);
  await app.register(webPushRoutes);
}
