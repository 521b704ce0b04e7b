import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { About, Liveness, Readiness } from './system.schemas.ts';

export interface SystemRouteDeps {
  readonly readiness: () => Promise<Readiness>;
  readonly about: () => About;
  readonly metrics: Registry;
}

/**
 * The probes are polled from the first second on, by orchestrators and load balancers, on servers that may get no
 * other request for hours. Their bodies are built here in exactly the shape of their schemas, so `JSON.stringify`
 * writes the same bytes the schema's serializer would, without loading fast-json-stringify (and the AJV instance
 * it builds) into an otherwise idle server: about 1.5 MiB.
 */
const stringify = () => (data: unknown) => JSON.stringify(data);

export function systemRoutes(deps: SystemRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        serializerCompiler: stringify,
        schema: {
          tags: ['system'],
          summary: 'Liveness: the process is up and serving HTTP',
          response: { 200: Liveness },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        serializerCompiler: stringify,
        schema: {
          tags: ['system'],
          summary: 'Readiness: the database answers and every migration is applied',
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (_req, reply) => {
        const report = await deps.readiness();
        return reply.status(report.status === 'ready' ? 200 : 503).send(report);
      },
    );

    // The paths Alertmanager answers its own probes on (plain `OK`), so the liveness and readiness checks written
    // for an Alertmanager keep working when Siaga takes its place at the same address.
    app.get(
      '/-/healthy',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness, as Alertmanager answers it',
          produces: ['text/plain'],
          response: { 200: Type.String() },
        },
      },
      async (_req, reply) => reply.type('text/plain; charset=utf-8').send('OK'),
    );

    app.get(
      '/-/ready',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Readiness, as Alertmanager answers it (the checks of /readyz)',
          produces: ['text/plain'],
          response: { 200: Type.String(), 503: Type.String() },
        },
      },
      async (_req, reply) => {
        const report = await deps.readiness();
        const ready = report.status === 'ready';
        return reply
          .status(ready ? 200 : 503)
          .type('text/plain; charset=utf-8')
          .send(ready ? 'OK' : 'Service Unavailable');
      },
    );

    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Prometheus metrics (text exposition format)',
          produces: ['text/plain'],
          response: { 200: Type.String() },
        },
      },
      async (_req, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()),
    );

    app.get(
      '/api/v1/about',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Version, runtime and database of this node',
          response: { 200: About },
        },
      },
      async () => deps.about(),
    );
  };
}
