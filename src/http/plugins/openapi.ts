import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { routeTable, type RouteInfo } from './route-table.ts';

/**
 * OpenAPI 3.1 generated from the same JSON schemas Fastify validates with, served at /api/openapi.json, with a
 * browsable reference at /api/docs (Swagger UI's own static files, nothing inline, so a strict CSP holds).
 *
 * The document is built on its first request, not at start: the routes recorded in the route table are replayed
 * into a throwaway Fastify instance carrying @fastify/swagger, whose output is kept. An idle server never loads
 * the generator (and the YAML library it brings), which keeps its memory down.
 */
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Siaga API reference</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
  <link rel="icon" href="/api/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'list' });\n`;

export interface OpenApiInfo {
  readonly version: string;
  readonly publicUrl: string;
}

export async function buildOpenApiDocument(
  routes: readonly RouteInfo[],
  info: OpenApiInfo,
): Promise<unknown> {
  const [{ default: Fastify }, { default: swagger }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
  ]);
  const scratch = Fastify();
  // Only the schemas matter here: nothing is validated or serialised.
  scratch.setValidatorCompiler(() => () => true);
  scratch.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await scratch.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Siaga API',
        version: info.version,
        description:
          'Incident management: monitoring, alerting, on-call paging and postmortems. Errors are `application/problem+json` (RFC 9457). Authenticate with the session cookie (and `X-CSRF-Token` on writes) or `Authorization: Bearer <API token>`.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: info.publicUrl }],
      tags: [{ name: 'system', description: 'Health, readiness, metrics and build information' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'siaga_session' },
        },
      },
    },
  });
  const seen = new Set<string>();
  for (const r of routes) {
    if (r.hidden || r.method === 'HEAD' || seen.has(`${r.method} ${r.url}`)) continue;
    seen.add(`${r.method} ${r.url}`);
    scratch.route({
      method: r.method,
      url: r.url,
      ...(r.schema ? { schema: r.schema } : {}),
      handler: async () => null,
    });
  }
  await scratch.ready();
  const doc = scratch.swagger();
  await scratch.close();
  return doc;
}

export function registerOpenApi(app: FastifyInstance, info: OpenApiInfo): void {
  const hidden = { schema: { hide: true }, config: { access: 'public' as const } };
  let doc: Promise<unknown> | undefined;
  app.get('/api/openapi.json', hidden, async () => {
    doc ??= buildOpenApiDocument(routeTable(app), info).catch((err: unknown) => {
      doc = undefined;
      throw err;
    });
    return doc;
  });
  app.get('/api/docs', hidden, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE),
  );
  app.get('/api/docs/init.js', hidden, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(INIT),
  );
  app.get<{ Params: { file: string } }>('/api/docs/assets/:file', hidden, async (req, reply) => {
    if (!ASSETS.has(req.params.file)) return reply.callNotFound();
    return reply.header('cache-control', 'public, max-age=86400').sendFile(req.params.file, SWAGGER_UI_DIR);
  });
}
