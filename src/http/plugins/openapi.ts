import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3.1 generated from the same JSON schemas Fastify validates with, served at /api/openapi.json, with a
 * browsable reference at /api/docs. Routes that are not API (web assets) set `schema.hide`.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  info: { version: string; publicUrl: string },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Siaga API',
        version: info.version,
        description:
          'Incident management: monitoring, alerting, on-call paging and postmortems. Errors are `application/problem+json` (RFC 9457).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: info.publicUrl }],
      tags: [{ name: 'system', description: 'Health, readiness, metrics and build information' }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
