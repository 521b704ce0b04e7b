import { readFileSync } from 'node:fs';
import type { Response as InjectResponse } from 'light-my-request';
import type { TestApp } from './app.ts';
import { as, login, person, team, type Session } from './identity.ts';

/** Recorded sender payloads (src/alerting/sources/fixtures): what real senders post. */
export function fixture<T = unknown>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../src/alerting/sources/fixtures/${name}`, import.meta.url), 'utf8'),
  ) as T;
}

export interface AlertingSetup {
  readonly teamId: string;
  readonly serviceId: string;
  /** A team admin's session (may change the service, silences, routes). */
  readonly admin: ReturnType<typeof as>;
  readonly session: Session;
  /** Creates an integration of the service and returns its key (shown once). */
  integration(
    kind: 'alertmanager' | 'pagerduty' | 'webhook' | 'email',
    extra?: Record<string, unknown>,
  ): Promise<{ id: string; key: string }>;
  /** Posts with an `Authorization: Bearer` header. */
  bearer(
    token: string,
  ): (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => Promise<InjectResponse>;
}

/** A team "Ops" owning service "checkout" with the given service fields, and a global admin acting on it. */
export async function setupAlerting(
  t: TestApp,
  service: Record<string, unknown> = {},
): Promise<AlertingSetup> {
  const teamId = await team(t, 'Ops');
  const session = await login(t, await person(t, 'admin', { [teamId]: 'admin' }));
  const admin = as(t, session);
  const res = await admin('POST', '/api/v1/services', { name: 'checkout', teamId, ...service });
  if (res.statusCode !== 201) throw new Error(`service: ${res.statusCode} ${res.body}`);
  const serviceId = res.json<{ id: string }>().id;
  return {
    teamId,
    serviceId,
    admin,
    session,
    async integration(kind, extra = {}) {
      const r = await admin('POST', `/api/v1/services/${serviceId}/integrations`, {
        name: `${kind} in`,
        kind,
        ...extra,
      });
      if (r.statusCode !== 201) throw new Error(`integration: ${r.statusCode} ${r.body}`);
      const body = r.json<{ integration: { id: string }; key: string }>();
      return { id: body.integration.id, key: body.key };
    },
    bearer(token) {
      return (method, url, payload) =>
        t.app.http.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}` },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
    },
  };
}

/**
 * Creates an integration of the setup's service; returns its id and its key (shown once). The answer of
 * `POST /api/v1/services/:id/integrations` is `{integration, key, endpoints}`: the id is `integration.id`.
 */
export async function addIntegration(
  s: AlertingSetup,
  kind: 'alertmanager' | 'pagerduty' | 'webhook' | 'email',
  extra: Record<string, unknown> = {},
): Promise<{ id: string; key: string }> {
  const r = await s.admin('POST', `/api/v1/services/${s.serviceId}/integrations`, {
    name: `${kind} in`,
    kind,
    ...extra,
  });
  if (r.statusCode !== 201) throw new Error(`integration: ${r.statusCode} ${r.body}`);
  const body = r.json<{ integration: { id: string }; key: string }>();
  return { id: body.integration.id, key: body.key };
}
