import type { EpochMs } from '../platform/clock.ts';
import type { Database } from '../storage/index.ts';

export type ServiceRow = Database['services'];
export type IntegrationRow = Database['integrations'];

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const INTEGRATION_KINDS = ['alertmanager', 'pagerduty', 'webhook', 'email'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/**
 * How a service's alerts are grouped into incidents: by the values of some labels (Alertmanager's `group_by`), by
 * the group the sender already formed (Alertmanager's `groupKey`), or one incident per alert.
 */
export type Grouping =
  | { readonly mode: 'labels'; readonly labels: readonly string[] }
  | { readonly mode: 'sender' }
  | { readonly mode: 'alert' };

export const DEFAULT_GROUPING: Grouping = { mode: 'labels', labels: ['alertname'] };

/** A service as the domain sees it; what the API shows is the same data with ISO times (views.ts). */
export interface Service {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly teamId: string;
  /** The escalation policy that pages for the service's incidents (null: nobody is paged). */
  readonly escalationPolicyId: string | null;
  readonly grouping: Grouping;
  readonly autoResolve: boolean;
  readonly urgency: Urgency;
  /** Declared in the YAML config file, which stays the source of truth: the API refuses to change it. */
  readonly declared: boolean;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

/**
 * An integration as the domain sees it. It carries the signing secrets still sealed, so a verifier that looked
 * the integration up by its key can open them without another query; neither views nor audit entries include them.
 */
export interface Integration {
  readonly id: string;
  readonly serviceId: string;
  readonly name: string;
  readonly kind: IntegrationKind;
  readonly keyPrefix: string;
  /** Opaque per-kind settings (the generic webhook mapping is validated by the alerting layer, not here). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly sealedSigningSecrets: string | null;
  readonly declared: boolean;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
  readonly lastEventAt: EpochMs | null;
}

export function toService(row: ServiceRow): Service {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    teamId: row.team_id,
    escalationPolicyId: row.escalation_policy_id,
    grouping: JSON.parse(row.grouping) as Grouping,
    autoResolve: Boolean(row.auto_resolve),
    urgency: row.urgency,
    declared: Boolean(row.declared),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toIntegration(row: IntegrationRow): Integration {
  return {
    id: row.id,
    serviceId: row.service_id,
    name: row.name,
    kind: row.kind,
    keyPrefix: row.key_prefix,
    config: JSON.parse(row.config) as Record<string, unknown>,
    sealedSigningSecrets: row.signing_secrets,
    declared: Boolean(row.declared),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastEventAt: row.last_event_at,
  };
}
