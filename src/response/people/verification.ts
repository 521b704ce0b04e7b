import { appendAudit } from '../../identity/index.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { afterCommit, hitRateLimit, inTx, type Ctx } from '../../storage/index.ts';
import { contactMethodFor } from './access.ts';
import { codeMatches, hashVerificationCode, newVerificationCode } from './codes.ts';
import { nextCodeNumber } from './contact-methods.repo.ts';
import { CODE_TTL_MS, MAX_CODE_ATTEMPTS, channelKindOf, type ContactMethodRow } from './model.ts';
import { addDefaultRules } from './rules.ts';
import { verificationPayload } from './secrets.ts';
import { contactMethodAudit, contactMethodView, type ContactMethodView } from './views.ts';

/**
 * Limits on sending codes, against mistakes and against using Siaga to spam a number: per method one code a
 * minute and five an hour (the first code, sent on creation, counts), and per person twenty an hour across methods.
 */
export const CODE_LIMITS = {
  perMethodMinute: { limit: 1, windowMs: MINUTE },
  perMethodHour: { limit: 5, windowMs: HOUR },
  perUserHour: { limit: 20, windowMs: HOUR },
} as const;

const buckets = (row: ContactMethodRow) => ({
  minute: `verify:minute:${row.id}`,
  hour: `verify:hour:${row.id}`,
  user: `verify:user:${row.user_id}`,
});

/** Rate-limit rows of a method, removed with it. */
export const codeBuckets = (row: ContactMethodRow): string[] => {
  const b = buckets(row);
  return [b.minute, b.hour];
};

const tooMany = (what: string, retryAfterSeconds: number): AppError =>
  new AppError('rate_limited', `${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });

/**
 * Sends a new code to `row` (which must already be stored): a fresh code replaces any outstanding one, and a
 * `verification` delivery carries it, sealed, to the dispatcher. Runs inside the caller's transaction; a refusal
 * (rate limit) throws, which rolls back the counting too. `enforceMethodLimits` is false when the code goes out
 * because the method was just created or its address changed: those are not repeated requests.
 */
export async function issueVerificationCode(
  tx: Ctx,
  row: ContactMethodRow,
  opts: { enforceMethodLimits: boolean },
): Promise<ContactMethodRow> {
  const now = tx.clock.now();
  const b = buckets(row);
  const user = await hitRateLimit(tx.db, { bucket: b.user, ...CODE_LIMITS.perUserHour, now });
  if (!user.allowed)
    throw tooMany(
      'too many verification codes were sent to your contact methods this hour',
      user.retryAfterSeconds,
    );
  const minute = await hitRateLimit(tx.db, { bucket: b.minute, ...CODE_LIMITS.perMethodMinute, now });
  const hour = await hitRateLimit(tx.db, { bucket: b.hour, ...CODE_LIMITS.perMethodHour, now });
  if (opts.enforceMethodLimits) {
    if (!minute.allowed) throw tooMany('a code was sent less than a minute ago', minute.retryAfterSeconds);
    if (!hour.allowed)
      throw tooMany('five codes were sent to this contact method within the hour', hour.retryAfterSeconds);
  }

  const code = newVerificationCode();
  const after: ContactMethodRow = {
    ...row,
    verification_hash: hashVerificationCode(row.id, code),
    verification_expires_at: (now + CODE_TTL_MS) as typeof now,
    verification_attempts: 0,
    updated_at: now,
  };
  await tx.db
    .updateTable('contact_methods')
    .set({
      verification_hash: after.verification_hash,
      verification_expires_at: after.verification_expires_at,
      verification_attempts: 0,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute();
  const n = await nextCodeNumber(tx.db, row.id);
  await tx.db
    .insertInto('deliveries')
    .values({
      id: tx.ids.next('dlv'),
      incident_id: null,
      kind: 'verification',
      event: 'notice',
      user_id: row.user_id,
      contact_method_id: row.id,
      channel_id: null,
      channel_kind: channelKindOf(row.kind),
      destination: `cm:${row.id}`,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      send_deadline_at: null,
      provider_message_id: null,
      provider_status: null,
      provider_status_at: null,
      dedup_key: `verify:${row.id}:${n}`,
      bundle_id: null,
      payload: verificationPayload(tx, row.id, code),
      reason: null,
      step: null,
      round: null,
      created_at: now,
      updated_at: now,
      sent_at: null,
    })
    .execute();
  afterCommit(tx, () => tx.wakeJobs());
  return after;
}

/** Asks for a new code (the old one stops working). */
export async function resendVerificationCode(
  ctx: Ctx,
  userId: string,
  id: string,
): Promise<ContactMethodView> {
  return inTx(ctx, async (tx) => {
    const row = await contactMethodFor(tx, userId, id);
    if (row.verified_at !== null)
      throw new AppError('conflict', `contact method ${row.name} is already verified`);
    const after = await issueVerificationCode(tx, row, { enforceMethodLimits: true });
    await appendAudit(tx, {
      action: 'contact_method.code_sent',
      object: { type: 'contact_method', id },
      after: contactMethodAudit(after),
    });
    return contactMethodView(after);
  });
}

type Attempt =
  | { readonly outcome: 'verified'; readonly view: ContactMethodView }
  | { readonly outcome: 'no_code' | 'locked' | 'expired' }
  | { readonly outcome: 'wrong'; readonly attemptsLeft: number };

/**
 * Checks a code. A wrong guess is counted (and audited) even though the request fails, so the counting happens in
 * its own committed transaction and the refusal is thrown afterwards. After five wrong guesses the code is dead:
 * only a new one (resend) helps. Verifying an already verified method changes nothing.
 */
export async function verifyContactMethod(
  ctx: Ctx,
  userId: string,
  id: string,
  code: string,
): Promise<ContactMethodView> {
  const attempt = await inTx(ctx, async (tx): Promise<Attempt> => {
    const row = await contactMethodFor(tx, userId, id);
    if (row.verified_at !== null) return { outcome: 'verified', view: contactMethodView(row) };
    if (row.verification_hash === null || row.verification_expires_at === null) return { outcome: 'no_code' };
    if (row.verification_attempts >= MAX_CODE_ATTEMPTS) return { outcome: 'locked' };
    const now = tx.clock.now();
    if (now >= row.verification_expires_at) return { outcome: 'expired' };
    if (!codeMatches(row.id, code, row.verification_hash)) {
      // Counted in the database, so two guesses racing each other both count.
      const counted = await tx.db
        .updateTable('contact_methods')
        .set((eb) => ({ verification_attempts: eb('verification_attempts', '+', 1) }))
        .where('id', '=', id)
        .where('verification_hash', '=', row.verification_hash)
        .where('verification_attempts', '<', MAX_CODE_ATTEMPTS)
        .returning('verification_attempts')
        .executeTakeFirst();
      if (counted === undefined) return { outcome: 'locked' };
      const attempts = Number(counted.verification_attempts);
      await appendAudit(tx, {
        action: 'contact_method.verification_failed',
        outcome: 'failure',
        object: { type: 'contact_method', id },
        detail: `wrong code (${attempts} of ${MAX_CODE_ATTEMPTS})`,
      });
      return { outcome: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - attempts };
    }
    const after: ContactMethodRow = {
      ...row,
      verified_at: now,
      verification_hash: null,
      verification_expires_at: null,
      verification_attempts: 0,
      updated_at: now,
    };
    const done = await tx.db
      .updateTable('contact_methods')
      .set({
        verified_at: now,
        verification_hash: null,
        verification_expires_at: null,
        verification_attempts: 0,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('verification_hash', '=', row.verification_hash)
      .where('verification_attempts', '<', MAX_CODE_ATTEMPTS)
      .executeTakeFirst();
    // A concurrent request used up the last try or replaced the code in between.
    if (Number(done.numUpdatedRows) === 0) return { outcome: 'locked' };
    await appendAudit(tx, {
      action: 'contact_method.verified',
      object: { type: 'contact_method', id },
      before: contactMethodAudit(row),
      after: contactMethodAudit(after),
    });
    await addDefaultRules(tx, after);
    return { outcome: 'verified', view: contactMethodView(after) };
  });
  switch (attempt.outcome) {
    case 'verified':
      return attempt.view;
    case 'no_code':
      throw codeError('no code is outstanding for this contact method; request a new one', 0);
    case 'locked':
      throw codeError(
        `the code was entered wrong ${MAX_CODE_ATTEMPTS} times and no longer works; request a new one`,
        0,
        { locked: true },
      );
    case 'expired':
      throw codeError('the code has expired; request a new one', 0, { expired: true });
    case 'wrong':
      throw codeError(
        attempt.attemptsLeft > 0
          ? `the code is not right; ${attempt.attemptsLeft} ${attempt.attemptsLeft === 1 ? 'try' : 'tries'} left`
          : 'the code is not right, and that was the last try; request a new one',
        attempt.attemptsLeft,
        attempt.attemptsLeft === 0 ? { locked: true } : {},
      );
  }
}

const codeError = (message: string, attemptsLeft: number, extra: Record<string, unknown> = {}): AppError =>
  new AppError('validation', message, {
    errors: [{ pointer: '/code', detail: message }],
    details: { attemptsLeft, ...extra },
  });
