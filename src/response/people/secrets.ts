import { randomBytes } from 'node:crypto';
import { secretColumn, type SecretBox } from '../../platform/secrets/index.ts';

type WithSecrets = { readonly secrets: SecretBox };

/**
 * A contact method's extra secrets (web push keys, a webhook's signing secret) as one sealed JSON object, bound to
 * `contact_methods.secrets:<id>`. Registered in src/app/secret-columns.ts so key rotation reaches it.
 */
export const CONTACT_METHOD_SECRETS = secretColumn('contact_methods', 'secrets');
export const PEOPLE_SECRET_COLUMNS = [CONTACT_METHOD_SECRETS] as const;

export function sealContactSecrets(
  ctx: WithSecrets,
  contactMethodId: string,
  secrets: Readonly<Record<string, string>> | undefined,
): string | null {
  if (secrets === undefined || Object.keys(secrets).length === 0) return null;
  return ctx.secrets.seal(JSON.stringify(secrets), CONTACT_METHOD_SECRETS.aad(contactMethodId));
}

export function openContactSecrets(
  ctx: WithSecrets,
  row: { readonly id: string; readonly secrets: string | null },
): Record<string, string> {
  if (row.secrets === null) return {};
  const parsed = JSON.parse(ctx.secrets.open(row.secrets, CONTACT_METHOD_SECRETS.aad(row.id))) as unknown;
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  )
    throw new Error(`the secrets of contact method ${row.id} are not an object of strings`);
  return parsed as Record<string, string>;
}

/** 32 random bytes, base64url: the HMAC key a personal webhook's requests are signed with. */
export const newWebhookSigningSecret = (): string => randomBytes(32).toString('base64url');

/**
 * A verification code travels to the dispatcher inside its delivery's payload, sealed and bound to the contact
 * method, so neither the outbox nor a database dump shows it. Codes live ten minutes, so values sealed with a key
 * that is later dropped only fail to open after they are useless anyway (deliveries.payload is therefore not a
 * registered secret column).
 */
const codeAad = (contactMethodId: string): string => `deliveries.payload:verification:${contactMethodId}`;

export function verificationPayload(ctx: WithSecrets, contactMethodId: string, code: string): string {
  return JSON.stringify({ code: ctx.secrets.seal(code, codeAad(contactMethodId)), contactMethodId });
}

/** The code of a verification delivery, for the dispatcher to render; throws when the payload is not one. */
export function verificationCodeOf(ctx: WithSecrets, payloadJson: string): string {
  const payload = JSON.parse(payloadJson) as { code?: unknown; contactMethodId?: unknown };
  if (typeof payload.code !== 'string' || typeof payload.contactMethodId !== 'string')
    throw new Error('not the payload of a verification delivery');
  return ctx.secrets.open(payload.code, codeAad(payload.contactMethodId));
}
