import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../platform/secrets/index.ts';
import { INTEGRATION_SIGNING_SECRETS } from './columns.ts';
import type { Integration } from './model.ts';

/**
 * HMAC secrets of signed webhooks. All of an integration's secrets are sealed together as one JSON list, newest
 * first: during a rotation two are kept, so senders still signing with the old one are accepted until it is cleared.
 */
export const MAX_SIGNING_SECRETS = 2;

/** 32 random bytes, base64url: the same strength as the integration key. */
export const newSigningSecret = (): string => randomBytes(32).toString('base64url');

/** The integration's signing secrets, newest first; empty when it has none. For the signature verifier. */
export function openSigningSecrets(
  ctx: { readonly secrets: SecretBox },
  integration: Pick<Integration, 'id' | 'sealedSigningSecrets'>,
): string[] {
  if (integration.sealedSigningSecrets === null) return [];
  const list = JSON.parse(
    ctx.secrets.open(integration.sealedSigningSecrets, INTEGRATION_SIGNING_SECRETS.aad(integration.id)),
  ) as unknown;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string'))
    throw new Error(`the signing secrets of integration ${integration.id} are not a list of strings`);
  return list;
}

/** The column value for `secrets` (null for none), bound to the integration's row. */
export function sealSigningSecrets(
  ctx: { readonly secrets: SecretBox },
  integrationId: string,
  secrets: readonly string[],
): string | null {
  if (secrets.length === 0) return null;
  return ctx.secrets.seal(
    JSON.stringify(secrets.slice(0, MAX_SIGNING_SECRETS)),
    INTEGRATION_SIGNING_SECRETS.aad(integrationId),
  );
}
