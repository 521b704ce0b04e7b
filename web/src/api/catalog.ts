import { queryOptions } from '@tanstack/react-query';
import { expectArray, expectRecord, getJson, sendJson } from './client.ts';

/** The service catalog (src/catalog/schemas.ts): services owned by teams, and the integrations alerts arrive by. */

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const INTEGRATION_KINDS = ['alertmanager', 'pagerduty', 'webhook', 'email'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export const INTEGRATION_KIND_LABELS: Record<IntegrationKind, string> = {
  alertmanager: 'Prometheus / Alertmanager',
  pagerduty: 'PagerDuty Events v2',
  webhook: 'Generic JSON webhook',
  email: 'Email',
};

/** How a service's alerts are grouped into incidents. */
export type Grouping = { mode: 'labels'; labels: string[] } | { mode: 'sender' } | { mode: 'alert' };

export interface Service {
  id: string;
  name: string;
  description: string;
  teamId: string;
  escalationPolicyId: string | null;
  grouping: Grouping;
  autoResolve: boolean;
  urgency: Urgency;
  /** Declared in the config file, which stays the source of truth: the API refuses to change it. */
  declared: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceInput {
  name: string;
  teamId: string;
  description: string;
  grouping: Grouping;
  autoResolve: boolean;
  urgency: Urgency;
}

export interface Integration {
  id: string;
  serviceId: string;
  name: string;
  kind: IntegrationKind;
  /** The first characters of the key, to tell keys apart; the key itself is shown only once. */
  keyPrefix: string;
  config: Record<string, unknown>;
  signingSecretCount: number;
  declared: boolean;
  createdAt: string;
  updatedAt: string;
  lastEventAt: string | null;
}

export interface IntegrationEndpoints {
  url: string | null;
  address?: string;
  routingKey?: string;
  notice?: string;
  snippets: { prometheus?: string; alertmanager?: string; pagerduty?: string; curl?: string };
}

/** A new or rotated key with where to send to: the only answer that ever contains the key. */
export interface IssuedKey {
  integration: Integration;
  key: string;
  endpoints: IntegrationEndpoints;
}

export interface IssuedSigningSecret {
  integration: Integration;
  signingSecret: string;
}

const SERVICES = '/api/v1/services';
const servicePath = (id: string) => `${SERVICES}/${encodeURIComponent(id)}`;
const integrationPath = (id: string) => `/api/v1/integrations/${encodeURIComponent(id)}`;
const parseService = (path: string, body: unknown) => expectRecord<Service>(path, body, 'teamId');
const parseIssued = (path: string, body: unknown) => expectRecord<IssuedKey>(path, body, 'key');

export const servicesQuery = queryOptions({
  queryKey: ['services', 'list'],
  queryFn: async ({ signal }) => expectArray<Service>(SERVICES, await getJson(SERVICES, { signal })),
});

export const serviceQuery = (id: string) =>
  queryOptions({
    queryKey: ['services', 'one', id],
    queryFn: async ({ signal }) => parseService(servicePath(id), await getJson(servicePath(id), { signal })),
  });

export async function createService(input: ServiceInput): Promise<Service> {
  return parseService(SERVICES, await sendJson('POST', SERVICES, input));
}

export async function updateService(id: string, patch: Partial<ServiceInput>): Promise<Service> {
  return parseService(servicePath(id), await sendJson('PATCH', servicePath(id), patch));
}

export async function deleteService(id: string): Promise<void> {
  await sendJson('DELETE', servicePath(id));
}

export const integrationsQuery = (serviceId: string) =>
  queryOptions({
    queryKey: ['services', 'integrations', serviceId],
    queryFn: async ({ signal }) => {
      const path = `${servicePath(serviceId)}/integrations`;
      return expectArray<Integration>(path, await getJson(path, { signal }));
    },
  });

export async function createIntegration(
  serviceId: string,
  input: { name: string; kind: IntegrationKind },
): Promise<IssuedKey> {
  const path = `${servicePath(serviceId)}/integrations`;
  return parseIssued(path, await sendJson('POST', path, input));
}

export async function deleteIntegration(id: string): Promise<void> {
  await sendJson('DELETE', integrationPath(id));
}

export async function rotateIntegrationKey(id: string): Promise<IssuedKey> {
  const path = `${integrationPath(id)}/rotate-key`;
  return parseIssued(path, await sendJson('POST', path));
}

export async function addSigningSecret(id: string): Promise<IssuedSigningSecret> {
  const path = `${integrationPath(id)}/signing-secret`;
  return expectRecord<IssuedSigningSecret>(path, await sendJson('POST', path), 'signingSecret');
}

export function describeGrouping(grouping: Grouping): string {
  switch (grouping.mode) {
    case 'labels':
      return `By ${grouping.labels.join(', ')}`;
    case 'sender':
      return 'As the sender grouped them';
    case 'alert':
      return 'One incident per alert';
  }
}
