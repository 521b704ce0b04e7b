import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/require-await -- filled in by the schedules slice
export async function scheduleRoutes(_app: FastifyInstance): Promise<void> {}
