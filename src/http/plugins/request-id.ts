import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

const SAFE_ID = /^[\w.:-]{1,128}$/;

/** Honours a caller's `X-Request-Id` when it is safe to log, otherwise makes one; echoes it on every reply. */
export const genReqId: NonNullable<FastifyServerOptions['genReqId']> = (req) => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
};

export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    void reply.header('x-request-id', req.id);
    done(null, payload);
  });
}
