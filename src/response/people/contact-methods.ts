import { appendAudit } from '../../identity/index.ts';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors.ts';
import { inTx, resetRateLimit, type Ctx } from '../../storage/index.ts';
import { destinationProblems } from '../channels/registry.ts';
import { checkAddress, type PushKeys } from './addresses.ts';
import { NOT_EXPIRED } from './expiry.ts';
import { contactMethodFor, requireOwner, selfId } from './access.ts';
import {
  addressTaken,
  countContactMethods,
  deleteCodeCounter,
  findPushMethodRow,
  listContactMethodRows,
} from './contact-methods.repo.ts';
import {
  channelKindOf,
  MAX_CONTACT_METHODS_PER_USER,
  type ContactKind,
  type ContactMethodRow,
} from './model.ts';
import { listRuleRowsOfMethod } from './rules.repo.ts';
import { newWebhookSigningSecret, openContactSecrets, sealContactSecrets } from './secrets.ts';
import { codeBuckets, issueVerificationCode } from './verification.ts';
import { contactMethodAudit, contactMethodView, maskAddress, type ContactMethodView } from './views.ts';

export interface CreateContactMethodInput {
  kind: ContactKind;
  /** Defaults to the kind's label ("SMS", "Slack"). */
  name?: string;
  address: string;
  /** Web push only: the subscription's keys. */
  keys?: PushKeys;
}

export interface UpdateContactMethodInput {
  name?: string;
  address?: string;
  keys?: PushKeys;
}

/** What a browser's service worker sends when its push subscription changed (`pushsubscriptionchange`). */
export interface RenewPushSubscriptionInput {
  /** The endpoint of the subscription that ended: it names the contact method. */
  oldEndpoint: string;
  /** The new subscription, as `PushSubscription.toJSON()` gives it. */
  endpoint: string;
  keys: PushKeys;
}

/** A new method, with the webhook signing secret when one was made: shown only in this answer. */
export type CreatedContactMethodView = ContactMethodView & { signingSecret?: string };

const KIND_LABELS: Readonly<Record<ContactKind, string>> = {
  email: 'E-mail',
  sms: 'SMS',
  voice: 'Voice call',
  slack_dm: 'Slack',
  telegram: 'Telegram',
  ntfy: 'ntfy',
  webhook: 'Webhook',
  push: 'Browser push',
};

function checkName(name: string | undefined, kind: ContactKind): string {
  if (name === undefined) return KIND_LABELS[kind];
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw validationError('a contact method name has 1 to 100 characters', [
      { pointer: '/name', detail: 'must have 1 to 100 characters (not counting surrounding spaces)' },
    ]);
  return trimmed;
}

/** The normalised address, after the per-kind rules here and each channel's own checks. */
function checkedAddress(
  kind: ContactKind,
  address: string,
  keys: PushKeys | undefined,
  addressPointer = '/address',
): { address: string; keys?: PushKeys } {
  const invalid = (errors: readonly FieldError[]) =>
    invalidFields(errors.map((e) => ({ ...e, pointer: e.pointer.replace(/^\/address$/, addressPointer) })));
  const checked = checkAddress({ kind, address, keys });
  if (!checked.ok) throw invalid(checked.errors);
  const problems = destinationProblems({
    kind: channelKindOf(kind),
    address: checked.address,
    config: { contactKind: kind },
    secrets: checked.keys ? { ...checked.keys } : {},
  });
  // Channels point into the destination; for a contact method its secrets are the body's `keys`.
  if (problems.length > 0)
    throw invalid(
      problems.map((p) => ({ pointer: p.pointer.replace(/^\/secrets(?=\/|$)/, '/keys'), detail: p.detail })),
    );
  return checked.keys ? { address: checked.address, keys: checked.keys } : { address: checked.address };
}

const invalidFields = (errors: readonly FieldError[]) =>
  validationError(`${errors[0]?.pointer ?? '/address'}: ${errors[0]?.detail ?? 'is not valid'}`, errors);

async function checkAddressFree(
  tx: Ctx,
  userId: string,
  kind: ContactKind,
  address: string,
  exceptId?: string,
): Promise<void> {
  if (await addressTaken(tx.db, userId, kind, address, exceptId))
    throw conflict(`this person already has a ${KIND_LABELS[kind]} contact method for that address`, {
      kind,
    });
}

export async function listContactMethods(ctx: Ctx, userId: string): Promise<ContactMethodView[]> {
  await requireOwner(ctx, userId);
  return (await listContactMethodRows(ctx.db, userId)).map(contactMethodView);
}

export async function getContactMethod(ctx: Ctx, userId: string, id: string): Promise<ContactMethodView> {
  return contactMethodView(await contactMethodFor(ctx, userId, id));
}

/** Adds a method, unverified, and sends it its first code. */
export async function createContactMethod(
  ctx: Ctx,
  userId: string,
  input: CreateContactMethodInput,
): Promise<CreatedContactMethodView> {
  const name = checkName(input.name, input.kind);
  const { address, keys } = checkedAddress(input.kind, input.address, input.keys);
  return inTx(ctx, async (tx) => {
    await requireOwner(tx, userId);
    await checkAddressFree(tx, userId, input.kind, address);
    if ((await countContactMethods(tx.db, userId)) >= MAX_CONTACT_METHODS_PER_USER)
      throw conflict(`a person has at most ${MAX_CONTACT_METHODS_PER_USER} contact methods`);
    const id = tx.ids.next('cm');
    const signingSecret = input.kind === 'webhook' ? newWebhookSigningSecret() : undefined;
    const now = tx.clock.now();
    const row: ContactMethodRow = {
      id,
      user_id: userId,
      kind: input.kind,
      name,
      address,
      secrets: sealContactSecrets(tx, id, keys ? { ...keys } : signingSecret ? { signingSecret } : undefined),
      verified_at: null,
      verification_hash: null,
      verification_expires_at: null,
      verification_attempts: 0,
      disabled_at: null,
      expired_at: null,
      expired_reason: null,
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('contact_methods').values(row).execute();
    const after = await issueVerificationCode(tx, row, { enforceMethodLimits: false });
    await appendAudit(tx, {
      action: 'contact_method.created',
      object: { type: 'contact_method', id },
      after: { userId, ...contactMethodAudit(after) },
    });
    const view = contactMethodView(after);
    return signingSecret === undefined ? view : { ...view, signingSecret };
  });
}

const sameKeys = (a: Record<string, string>, b: PushKeys): boolean =>
  a.p256dh === b.p256dh && a.auth === b.auth;

/**
 * Renames, or changes where the method reaches: a new address (or new push keys) makes it unverified again and a
 * code goes to the new address, since nothing proves the person can read it. Its rules stay and page again once
 * it is verified. A new address also ends an expiry (the gone destination is no longer the method's).
 */
export async function updateContactMethod(
  ctx: Ctx,
  userId: string,
  id: string,
  patch: UpdateContactMethodInput,
): Promise<ContactMethodView> {
  return inTx(ctx, async (tx) => {
    const before = await contactMethodFor(tx, userId, id);
    const name = patch.name === undefined ? before.name : checkName(patch.name, before.kind);
    let address = before.address;
    let secrets = before.secrets;
    if (patch.address !== undefined || patch.keys !== undefined) {
      const current = before.kind === 'push' ? openContactSecrets(tx, before) : {};
      const keys =
        before.kind === 'push'
          ? (patch.keys ?? { p256dh: current.p256dh ?? '', auth: current.auth ?? '' })
          : patch.keys;
      const checked = checkedAddress(before.kind, patch.address ?? before.address, keys);
      if (before.kind === 'push' && checked.address !== before.address && patch.keys === undefined)
        throw invalidFields([
          { pointer: '/keys', detail: 'a new push subscription comes with new keys; send them too' },
        ]);
      address = checked.address;
      if (checked.keys && !sameKeys(current, checked.keys))
        secrets = sealContactSecrets(tx, id, { ...checked.keys });
    }
    const reachChanged = address !== before.address || secrets !== before.secrets;
    if (address !== before.address) await checkAddressFree(tx, userId, before.kind, address, id);
    const now = tx.clock.now();
    let after: ContactMethodRow = {
      ...before,
      name,
      address,
      secrets,
      ...(reachChanged ? { verified_at: null, ...NOT_EXPIRED } : {}),
      updated_at: now,
    };
    await tx.db
      .updateTable('contact_methods')
      .set({
        name,
        address,
        secrets,
        verified_at: after.verified_at,
        expired_at: after.expired_at,
        expired_reason: after.expired_reason,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (reachChanged) after = await issueVerificationCode(tx, after, { enforceMethodLimits: false });
    await appendAudit(tx, {
      action: 'contact_method.updated',
      object: { type: 'contact_method', id },
      before: contactMethodAudit(before),
      after: contactMethodAudit(after),
      ...(reachChanged
        ? {
            detail:
              before.expired_at === null
                ? 'where it reaches changed: verification starts again'
                : 'where it reaches changed: no longer expired; verification starts again',
          }
        : {}),
    });
    return contactMethodView(after);
  });
}

/**
 * A browser renewed its push subscription (the service worker's `pushsubscriptionchange`): the signed-in person's
 * push method whose endpoint is `oldEndpoint` now reaches the new endpoint with the new keys. Nothing else changes:
 * not the name, not the rules, not whether it is disabled, and **a verified method stays verified**, unlike a new
 * address entered by hand (`updateContactMethod`). A code guards against a typo paging a stranger and against
 * sending to addresses nobody vouched for. Neither applies here: nobody types a subscription, the browser makes it
 * and its service worker reports it, in the person's own session (which could delete or edit the method anyway),
 * naming the endpoint that was verified; and every push is encrypted for the keys that come with the endpoint, so
 * an endpoint that is not that browser's would receive nothing anyone can read. A code, on the other hand, would
 * leave the person unpaged until they noticed and typed it in: the silent failure this exists to prevent. (An
 * unverified method stays unverified; its outstanding code still works.)
 *
 * A renewal also ends an expiry (the push service answered 404/410 for the old subscription, `expiry.ts`): the
 * method pages again, audited as `contact_method.restored`. The profile's "Re-enable push from this browser" is the
 * same renewal, from the method's endpoint to the subscription the page just made. Naming the expired endpoint as
 * both old and new re-enables it as it is (the person says the browser still has that subscription).
 *
 * Only the person's own methods: an endpoint they have no push method for is a 404, whoever else has it. Sending
 * the same renewal again (the answer to the first was lost) finds the method already renewed and answers it; it
 * does not end an expiry that came after the renewal.
 */
export async function renewPushSubscription(
  ctx: Ctx,
  input: RenewPushSubscriptionInput,
): Promise<ContactMethodView> {
  const userId = selfId(ctx);
  const checked = checkedAddress('push', input.endpoint, input.keys, '/endpoint');
  const keys = checked.keys ?? input.keys;
  const oldEndpoint = parsedHref(input.oldEndpoint);
  return inTx(ctx, async (tx) => {
    const before =
      oldEndpoint === undefined ? undefined : await findPushMethodRow(tx.db, userId, oldEndpoint);
    if (!before) {
      const renewed = await findPushMethodRow(tx.db, userId, checked.address);
      if (renewed && sameKeys(openContactSecrets(tx, renewed), keys)) return contactMethodView(renewed);
      throw notFound('push contact method with the endpoint', maskAddress('push', input.oldEndpoint));
    }
    const expired = before.expired_at !== null;
    const unchanged = checked.address === before.address && sameKeys(openContactSecrets(tx, before), keys);
    if (unchanged && !expired) return contactMethodView(before);
    if (checked.address !== before.address)
      await checkAddressFree(tx, userId, 'push', checked.address, before.id);
    const now = tx.clock.now();
    const after: ContactMethodRow = {
      ...before,
      address: checked.address,
      secrets: unchanged ? before.secrets : sealContactSecrets(tx, before.id, { ...keys }),
      ...NOT_EXPIRED,
      updated_at: now,
    };
    await tx.db
      .updateTable('contact_methods')
      .set({ address: after.address, secrets: after.secrets, ...NOT_EXPIRED, updated_at: now })
      .where('id', '=', before.id)
      .execute();
    await appendAudit(tx, {
      action: expired ? 'contact_method.restored' : 'contact_method.subscription_renewed',
      object: { type: 'contact_method', id: before.id },
      before: contactMethodAudit(before),
      after: contactMethodAudit(after),
      detail: expired
        ? 'the browser subscribed again after its push subscription expired; verification kept, it pages again'
        : 'the browser renewed its push subscription; verification kept',
    });
    return contactMethodView(after);
  });
}

function parsedHref(text: string): string | undefined {
  try {
    return new URL(text.trim()).href;
  } catch {
    return undefined;
  }
}

/** Removes a method and its rules. Deliveries already logged keep their history (without the link). */
export async function deleteContactMethod(ctx: Ctx, userId: string, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const before = await contactMethodFor(tx, userId, id);
    const rules = await listRuleRowsOfMethod(tx.db, id);
    for (const rule of rules) {
      await tx.db.deleteFrom('notification_rules').where('id', '=', rule.id).execute();
      await appendAudit(tx, {
        action: 'notification_rule.deleted',
        object: { type: 'notification_rule', id: rule.id },
        before: { contactMethodId: id, urgency: rule.urgency, delayMinutes: rule.delay_minutes },
        detail: `contact method ${before.name} deleted`,
      });
    }
    await tx.db.deleteFrom('contact_methods').where('id', '=', id).execute();
    await deleteCodeCounter(tx.db, id);
    for (const bucket of codeBuckets(before)) await resetRateLimit(tx.db, bucket);
    await appendAudit(tx, {
      action: 'contact_method.deleted',
      object: { type: 'contact_method', id },
      before: contactMethodAudit(before),
    });
  });
}

/** Switches a method off (nothing pages it; its rules stay) or on again. Doing it twice changes nothing. */
export async function setContactMethodDisabled(
  ctx: Ctx,
  userId: string,
  id: string,
  disabled: boolean,
): Promise<ContactMethodView> {
  return inTx(ctx, async (tx) => {
    const before = await contactMethodFor(tx, userId, id);
    if ((before.disabled_at !== null) === disabled) return contactMethodView(before);
    const now = tx.clock.now();
    const after: ContactMethodRow = { ...before, disabled_at: disabled ? now : null, updated_at: now };
    await tx.db
      .updateTable('contact_methods')
      .set({ disabled_at: after.disabled_at, updated_at: now })
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, {
      action: disabled ? 'contact_method.disabled' : 'contact_method.enabled',
      object: { type: 'contact_method', id },
      before: contactMethodAudit(before),
      after: contactMethodAudit(after),
    });
    return contactMethodView(after);
  });
}
