import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/require-await -- filled in by the channels slice
export async function channelRoutes(_app: FastifyInstance): Promise<void> {}
