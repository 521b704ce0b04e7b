import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/require-await -- filled in by the callbacks slice
export async function callbackRoutes(_app: FastifyInstance): Promise<void> {}
