import type { FastifyInstance } from 'fastify';
import { integrationRoutes } from './integrations.routes.ts';
import { serviceRoutes } from './services.routes.ts';

/** The service catalog's API: services and their integrations. */
export async function catalogRoutes(app: FastifyInstance): Promise<void> {
  await app.register(serviceRoutes);
  await app.register(integrationRoutes);
}
