import { toIso as iso, toIsoOrNull } from '../platform/clock.ts';
import type { SecretBox } from '../platform/secrets/index.ts';
import {
  toIntegration,
  type Grouping,
  type Integration,
  type IntegrationKind,
  type IntegrationRow,
  type Service,
  type Urgency,
} from './model.ts';
import { openSigningSecrets } from './signing-secrets.ts';

/** What the API shows. Never an integration's key (only its hash is stored) nor its signing secrets. */

export interface ServiceView {
  id: string;
  name: string;
  description: string;
  teamId: string;
  escalationPolicyId: string | null;
  grouping: Grouping;
  autoResolve: boolean;
  urgency: Urgency;
  declared: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toServiceView(s: Service): ServiceView {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    teamId: s.teamId,
    escalationPolicyId: s.escalationPolicyId,
    grouping: s.grouping,
    autoResolve: s.autoResolve,
    urgency: s.urgency,
    declared: s.declared,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

export interface IntegrationView {
  id: string;
  serviceId: string;
  name: string;
  kind: IntegrationKind;
  keyPrefix: string;
  config: Record<string, unknown>;
  signingSecretCount: number;
  declared: boolean;
  createdAt: string;
  updatedAt: string;
  lastEventAt: string | null;
}

/** `signingSecretCount` comes from the caller: counting needs the keyring, and a view must not open secrets. */
export function toIntegrationView(i: Integration, signingSecretCount: number): IntegrationView {
  return {
    id: i.id,
    serviceId: i.serviceId,
    name: i.name,
    kind: i.kind,
    keyPrefix: i.keyPrefix,
    config: { ...i.config },
    signingSecretCount,
    declared: i.declared,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
    lastEventAt: toIsoOrNull(i.lastEventAt),
  };
}

/** The view of an integration row; opens the sealed signing secrets only to count them. */
export function integrationView(ctx: { readonly secrets: SecretBox }, row: IntegrationRow): IntegrationView {
  const integration = toIntegration(row);
  return toIntegrationView(integration, openSigningSecrets(ctx, integration).length);
}
