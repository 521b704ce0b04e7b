import { appendAudit } from '../identity/index.ts';
import { validationError } from '../platform/errors.ts';
import { inTx, type Ctx } from '../storage/index.ts';
import { integrationFor, refuseDeclared, serviceFor } from './access.ts';
import { integrationEndpoints, type IntegrationEndpoints } from './endpoints.ts';
import { hashIntegrationKey, keyPrefixOf, newIntegrationKey } from './integration-keys.ts';
import { insertIntegrationRow, listIntegrationRows, updateIntegrationRow } from './integrations.repo.ts';
import { INTEGRATION_KINDS, type IntegrationKind, type IntegrationRow } from './model.ts';
import { integrationView, type IntegrationView } from './views.ts';

export interface CreateIntegrationInput {
  serviceId: string;
  name: string;
  kind: IntegrationKind;
  /** Opaque per-kind settings (for `webhook`, the generic mapping the alerting layer validates). */
  config?: Record<string, unknown>;
}

export interface UpdateIntegrationInput {
  name?: string;
  config?: Record<string, unknown>;
}

/** A new key, shown in this result only (the database keeps its hash), with where and how to use it. */
export interface IssuedIntegrationKey {
  integration: IntegrationView;
  key: string;
  endpoints: IntegrationEndpoints;
}

/** Settings are small: a generic mapping fits easily, and the row is read on every incoming alert. */
export const MAX_CONFIG_BYTES = 16 * 1024;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw validationError('an integration name has 1 to 100 characters', [
      { pointer: '/name', detail: 'must have 1 to 100 characters (not counting surrounding spaces)' },
    ]);
  return trimmed;
}

function configJson(config: Record<string, unknown> | undefined): string {
  if (config === undefined) return '{}';
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw validationError('the config must be an object', [
      { pointer: '/config', detail: 'must be an object' },
    ]);
  const json = JSON.stringify(config);
  if (Buffer.byteLength(json, 'utf8') > MAX_CONFIG_BYTES)
    throw validationError(`the config is larger than ${MAX_CONFIG_BYTES / 1024} KiB`, [
      { pointer: '/config', detail: `must be at most ${MAX_CONFIG_BYTES} bytes of JSON` },
    ]);
  return json;
}

/**
 * `server.publicUrl` (which the config loader defaults to `http://<host>:<port>`) is where senders reach this
 * server; the email-in domain is undefined while email-in is off.
 */
const endpointsFor = (ctx: Ctx, kind: IntegrationKind, key: string): IntegrationEndpoints =>
  integrationEndpoints(ctx.settings.publicUrl, kind, key, ctx.settings.alerting.emailDomain);

export async function listIntegrations(ctx: Ctx, serviceId: string): Promise<IntegrationView[]> {
  await serviceFor(ctx, serviceId, 'stakeholder');
  return (await listIntegrationRows(ctx.db, serviceId)).map((r) => integrationView(ctx, r));
}

export async function getIntegration(ctx: Ctx, id: string): Promise<IntegrationView> {
  const { row } = await integrationFor(ctx, id, 'stakeholder');
  return integrationView(ctx, row);
}

/** Admins of the service's team add integrations; the key and the endpoints built from it are returned once. */
export async function createIntegration(
  ctx: Ctx,
  input: CreateIntegrationInput,
): Promise<IssuedIntegrationKey> {
  const name = checkName(input.name);
  if (!INTEGRATION_KINDS.includes(input.kind))
    throw validationError(`${String(input.kind)} is not an integration kind`, [
      { pointer: '/kind', detail: `must be one of ${INTEGRATION_KINDS.join(', ')}` },
    ]);
  const config = configJson(input.config);
  const key = newIntegrationKey();
  const integration = await inTx(ctx, async (tx) => {
    const service = await serviceFor(tx, input.serviceId, 'admin');
    const now = tx.clock.now();
    const row: IntegrationRow = {
      id: tx.ids.next('int'),
      service_id: service.id,
      name,
      kind: input.kind,
      key_hash: hashIntegrationKey(key),
      key_prefix: keyPrefixOf(key),
      config,
      signing_secrets: null,
      declared: false,
      created_at: now,
      updated_at: now,
      last_event_at: null,
    };
    await insertIntegrationRow(tx.db, row);
    const after = integrationView(tx, row);
    await appendAudit(tx, {
      action: 'integration.created',
      object: { type: 'integration', id: row.id },
      teamId: service.team_id,
      after,
    });
    return after;
  });
  return { integration, key, endpoints: endpointsFor(ctx, integration.kind, key) };
}

export async function updateIntegration(
  ctx: Ctx,
  id: string,
  patch: UpdateIntegrationInput,
): Promise<IntegrationView> {
  const name = patch.name === undefined ? undefined : checkName(patch.name);
  const config = patch.config === undefined ? undefined : configJson(patch.config);
  return inTx(ctx, async (tx) => {
    const { row: before, service } = await integrationFor(tx, id, 'admin');
    refuseDeclared(before, 'integration');
    const after: IntegrationRow = {
      ...before,
      name: name ?? before.name,
      config: config ?? before.config,
      updated_at: tx.clock.now(),
    };
    await updateIntegrationRow(tx.db, id, {
      name: after.name,
      config: after.config,
      updated_at: after.updated_at,
    });
    const result = integrationView(tx, after);
    await appendAudit(tx, {
      action: 'integration.updated',
      object: { type: 'integration', id },
      teamId: service.team_id,
      before: integrationView(tx, before),
      after: result,
    });
    return result;
  });
}

/** Deletes an integration: its key stops working at once; alerts it brought in stay (without the link). */
export async function deleteIntegration(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const { row, service } = await integrationFor(tx, id, 'admin');
    refuseDeclared(row, 'integration');
    await tx.db.deleteFrom('integrations').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'integration.deleted',
      object: { type: 'integration', id },
      teamId: service.team_id,
      before: integrationView(tx, row),
    });
  });
}

/** Replaces the key: the old one stops working at once (no overlap; senders must be updated). Shown once. */
export async function rotateIntegrationKey(ctx: Ctx, id: string): Promise<IssuedIntegrationKey> {
  const key = newIntegrationKey();
  const integration = await inTx(ctx, async (tx) => {
    const { row: before, service } = await integrationFor(tx, id, 'admin');
    refuseDeclared(before, 'integration');
    const after: IntegrationRow = {
      ...before,
      key_hash: hashIntegrationKey(key),
      key_prefix: keyPrefixOf(key),
      updated_at: tx.clock.now(),
    };
    await updateIntegrationRow(tx.db, id, {
      key_hash: after.key_hash,
      key_prefix: after.key_prefix,
      updated_at: after.updated_at,
    });
    const result = integrationView(tx, after);
    await appendAudit(tx, {
      action: 'integration.key_rotated',
      object: { type: 'integration', id },
      teamId: service.team_id,
      before: { keyPrefix: before.key_prefix },
      after: { keyPrefix: after.key_prefix },
    });
    return result;
  });
  return { integration, key, endpoints: endpointsFor(ctx, integration.kind, key) };
}
