import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Access } from './auth.ts';

export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
  /** The route's JSON schemas, for the OpenAPI document. */
  readonly schema: Record<string, unknown> | undefined;
  /** Hidden routes (web assets, the API reference page) are not part of the API and need no schema. */
  readonly hidden: boolean;
}

const tables = new WeakMap<FastifyInstance, RouteInfo[]>();

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Every API route declares its schemas and its access rule, or the server refuses to start: a response schema
 * (serialisation, OpenAPI), a body schema for methods with a body (validation), and `config.access` (who may
 * call it). The table it records lets tests walk every
 * route (the permission matrix of the identity module is built from it).
 */
export function enforceRouteSchemas(app: FastifyInstance): void {
  const table: RouteInfo[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as
      { hide?: boolean; response?: unknown; body?: unknown; consumes?: unknown } | undefined;
    const methods = ([] as string[]).concat(route.method);
    const hidden = schema?.hide === true;
    for (const method of methods) {
      if (method === 'HEAD' && route.url !== '/') continue; // HEAD routes are generated from GET
      if (!hidden && !schema?.response)
        throw new Error(`route ${method} ${route.url} has no response schema`);
      if (!hidden && BODY_METHODS.has(method) && !schema?.body)
        throw new Error(`route ${method} ${route.url} has no body schema`);
      const access = (route.config as { access?: Access } | undefined)?.access;
      if (!hidden && access === undefined) {
        throw new Error(`route ${method} ${route.url} does not say who may call it (config.access)`);
      }
      table.push({
        method,
        url: route.url,
        hidden,
        access: access ?? 'public',
        schema: schema,
      });
    }
  });
}

export function routeTable(app: FastifyInstance): readonly RouteInfo[] {
  return tables.get(app) ?? [];
}
