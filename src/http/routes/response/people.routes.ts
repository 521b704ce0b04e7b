import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/require-await -- filled in by the people slice
export async function peopleRoutes(_app: FastifyInstance): Promise<void> {}
