import { appendAudit } from '../identity/index.ts';
import { inTx, type Ctx } from '../storage/index.ts';
import { integrationFor, refuseDeclared } from './access.ts';
import { updateIntegrationRow } from './integrations.repo.ts';
import { toIntegration, type IntegrationRow } from './model.ts';
import {
  MAX_SIGNING_SECRETS,
  newSigningSecret,
  openSigningSecrets,
  sealSigningSecrets,
} from './signing-secrets.ts';
import { integrationView, type IntegrationView } from './views.ts';

/** A new signing secret, shown in this result only (the database keeps it sealed). */
export interface IssuedSigningSecret {
  integration: IntegrationView;
  signingSecret: string;
}

async function writeSecrets(
  tx: Ctx,
  before: IntegrationRow,
  secrets: readonly string[],
): Promise<IntegrationRow> {
  const after: IntegrationRow = {
    ...before,
    signing_secrets: sealSigningSecrets(tx, before.id, secrets),
    updated_at: tx.clock.now(),
  };
  await updateIntegrationRow(tx.db, before.id, {
    signing_secrets: after.signing_secrets,
    updated_at: after.updated_at,
  });
  return after;
}

/**
 * Adds a new HMAC secret in front of the current one, which stays valid (at most two are kept) until
 * `clearOldSigningSecret`: senders can switch to the new secret without losing events meanwhile.
 */
export async function setIntegrationSigningSecret(ctx: Ctx, id: string): Promise<IssuedSigningSecret> {
  const secret = newSigningSecret();
  return inTx(ctx, async (tx) => {
    const { row: before, service } = await integrationFor(tx, id, 'admin');
    refuseDeclared(before, 'integration');
    const current = openSigningSecrets(tx, toIntegration(before));
    const next = [secret, ...current].slice(0, MAX_SIGNING_SECRETS);
    const after = await writeSecrets(tx, before, next);
    await appendAudit(tx, {
      action: 'integration.signing_secret_rotated',
      object: { type: 'integration', id },
      teamId: service.team_id,
      detail: `${next.length} signing secret${next.length === 1 ? '' : 's'} now valid`,
    });
    return { integration: integrationView(tx, after), signingSecret: secret };
  });
}

/** Ends a signing-secret rotation: only the newest secret stays valid. Nothing to do when there is one or none. */
export async function clearOldSigningSecret(ctx: Ctx, id: string): Promise<IntegrationView> {
  return inTx(ctx, async (tx) => {
    const { row: before, service } = await integrationFor(tx, id, 'admin');
    refuseDeclared(before, 'integration');
    const current = openSigningSecrets(tx, toIntegration(before));
    if (current.length <= 1) return integrationView(tx, before);
    const after = await writeSecrets(tx, before, current.slice(0, 1));
    await appendAudit(tx, {
      action: 'integration.signing_secret_cleared',
      object: { type: 'integration', id },
      teamId: service.team_id,
      detail: `${current.length - 1} older signing secret${current.length === 2 ? '' : 's'} removed`,
    });
    return integrationView(tx, after);
  });
}
