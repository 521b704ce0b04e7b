import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/require-await -- filled in by the policies slice
export async function policyRoutes(_app: FastifyInstance): Promise<void> {}
