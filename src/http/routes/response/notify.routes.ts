import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/require-await -- filled in by the notify slice
export async function notifyRoutes(_app: FastifyInstance): Promise<void> {}
