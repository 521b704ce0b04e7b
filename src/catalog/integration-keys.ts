import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../platform/context.ts';
import type { Ctx } from '../storage/index.ts';
import { findIntegrationRowByKeyHash } from './integrations.repo.ts';
import { toIntegration, toService, type Integration, type IntegrationKind, type Service } from './model.ts';
import { findServiceRow } from './services.repo.ts';

/**
 * 32 random bytes (256 bits), base64url: 43 characters that fit a URL path, a header and an email local part (as
 * long as the mail path keeps the local part's case, which RFC 5321 asks of it).
 */
export const INTEGRATION_KEY_BYTES = 32;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Characters kept in the clear so people can tell keys apart in lists (36 of the 256 bits). */
export const KEY_PREFIX_LENGTH = 6;

export function newIntegrationKey(): string {
  return randomBytes(INTEGRATION_KEY_BYTES).toString('base64url');
}

/**
 * Keys are stored as their SHA-256 in hex (the `key_hash` column). A fast hash is enough for 256 random bits (a slow
 * KDF protects guessable secrets, and these are not), and it keeps the per-alert lookup cheap.
 * Identity's `hashToken` is not reused on purpose: it encodes base64url, and this column is specified as hex.
 */
export function hashIntegrationKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export const keyPrefixOf = (key: string): string => key.slice(0, KEY_PREFIX_LENGTH);

/**
 * The integration a key belongs to, with its service; null for an unknown key or one of another kind (the
 * Alertmanager webhook does not accept a PagerDuty key). No actor check: the key is the credential.
 *
 * The lookup compares hashes, never the key itself, so it needs no constant-time comparison: the time an index
 * lookup takes can only depend on the SHA-256 of the guess, and learning how many leading bytes of a hash match
 * tells an attacker nothing about the preimage, i.e. the key.
 */
export async function findIntegrationByKey(
  ctx: Ctx,
  key: string,
  kinds?: readonly IntegrationKind[],
): Promise<{ integration: Integration; service: Service } | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const row = await findIntegrationRowByKeyHash(ctx.db, hashIntegrationKey(key));
  if (!row || (kinds !== undefined && !kinds.includes(row.kind))) return null;
  const service = await findServiceRow(ctx.db, row.service_id);
  if (!service) return null;
  return { integration: toIntegration(row), service: toService(service) };
}

/** Who a sender is once its key matched: it may feed alerts to that integration's service, nothing else. */
export const integrationActor = (found: {
  readonly integration: { readonly id: string; readonly name: string };
  readonly service: { readonly id: string; readonly teamId: string };
}): Extract<Actor, { kind: 'integration' }> => ({
  kind: 'integration',
  integrationId: found.integration.id,
  serviceId: found.service.id,
  teamId: found.service.teamId,
  name: found.integration.name,
});
