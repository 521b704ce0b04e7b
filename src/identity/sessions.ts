import { MINUTE, type EpochMs } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/context.ts';
import { hitRateLimit, inTx, peekRateLimit, resetRateLimit, type Ctx, type Db } from '../storage/index.ts';
import { userActor } from './actor.ts';
import { appendAudit } from './audit.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';
import { findUserByEmail, normalizeEmail, type UserRow } from './users.repo.ts';

/** Failed sign-ins allowed per minute, per account and per client address; then 429 until the minute is over. */
export const LOGIN_FAILURES_PER_MINUTE = 10;
const THROTTLE_WINDOW_MS = MINUTE;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = MINUTE;

export interface NewSession {
  /** The cookie value; shown once, stored only as a hash. */
  readonly token: string;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: EpochMs;
  readonly user: UserRow;
}

/** Starts a session for a user who has just proven who they are. A new id every time (no fixation). */
export async function createSession(
  ctx: Ctx,
  user: UserRow,
  method: 'password' | 'sso' | 'setup',
): Promise<NewSession> {
  const token = newToken('ssn');
  const csrfToken = newToken('csrf');
  const now = ctx.clock.now();
  const expiresAt = (now + ctx.settings.auth.sessionMaxAgeMs) as EpochMs;
  const id = ctx.ids.next('ssn');
  await inTx(ctx, async (tx) => {
    await tx.db
      .insertInto('sessions')
      .values({
        id,
        token_hash: hashToken(token),
        user_id: user.id,
        csrf_token: csrfToken,
        method,
        ip: ctx.origin?.ip ?? '',
        user_agent: (ctx.origin?.userAgent ?? '').slice(0, 300),
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute();
    await tx.db.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
  });
  return { token, sessionId: id, csrfToken, expiresAt, user };
}

const buckets = (email: string, ip: string) => ({ account: `login:account:${email}`, ip: `login:ip:${ip}` });

/**
 * Password sign-in. Wrong email and wrong password give the same answer in about the same time (no account
 * enumeration). Failures are counted per account and per address; past the limit every attempt, right or wrong,
 * gets 429 until the window ends — attackers are slowed, and the owner is never locked out for good.
 */
export async function loginWithPassword(
  ctx: Ctx,
  input: { email: string; password: string },
): Promise<NewSession> {
  const email = normalizeEmail(input.email);
  const ip = ctx.origin?.ip ?? 'unknown';
  const b = buckets(email, ip);
  const now = ctx.clock.now();
  const limit = { limit: LOGIN_FAILURES_PER_MINUTE - 1, windowMs: THROTTLE_WINDOW_MS, now };
  for (const bucket of [b.account, b.ip]) {
    const d = await peekRateLimit(ctx.db, { bucket, ...limit });
    if (!d.allowed) {
      await inTx(ctx, (tx) =>
        appendAudit(tx, {
          action: 'auth.login_throttled',
          outcome: 'failure',
          object: { type: 'login', id: email },
          detail: `too many failed attempts (${bucket.split(':')[1]})`,
        }),
      );
      throw new AppError('rate_limited', 'too many failed sign-in attempts; try again later', {
        retryAfterSeconds: d.retryAfterSeconds,
      });
    }
  }
  const log2N = ctx.settings.auth.passwordHashLog2N;
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash(log2N)));
  if (!user || !ok || user.status !== 'active' || user.password_hash === null) {
    const reason = !user
      ? 'unknown email'
      : user.status !== 'active'
        ? 'account deactivated'
        : 'wrong password';
    await inTx(ctx, async (tx) => {
      await hitRateLimit(tx.db, { bucket: b.account, ...limit });
      await hitRateLimit(tx.db, { bucket: b.ip, ...limit });
      await appendAudit(tx, {
        action: 'auth.login_failed',
        outcome: 'failure',
        object: { type: 'user', id: user?.id ?? email },
        detail: reason,
      });
    });
    throw new AppError('unauthorized', 'the email or password is not correct');
  }
  if (needsRehash(user.password_hash, log2N)) {
    const upgraded = await hashPassword(input.password, log2N);
    await ctx.db.updateTable('users').set({ password_hash: upgraded }).where('id', '=', user.id).execute();
  }
  await resetRateLimit(ctx.db, b.account);
  const session = await createSession(ctx, user, 'password');
  await inTx(ctx, (tx) =>
    appendAudit(
      {
        ...tx,
        actor: {
          kind: 'user',
          userId: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          teams: new Map(),
          via: 'session',
        },
      },
      { action: 'auth.login_succeeded', object: { type: 'user', id: user.id }, detail: 'password' },
    ),
  );
  return session;
}

export interface ResolvedSession {
  readonly actor: Actor;
  readonly sessionId: string;
  readonly csrfToken: string;
}

/** The actor behind a session cookie, or undefined when the session is unknown, ended, idle too long or its user deactivated. */
export async function resolveSession(
  db: Db,
  token: string,
  now: EpochMs,
  idleMs: number,
): Promise<ResolvedSession | undefined> {
  // One query for the session and its user; the actor's memberships are the only other read.
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'sessions.revoked_at',
    ])
    .where('sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= now || row.last_seen_at + idleMs <= now)
    return undefined;
  if (row.status !== 'active') return undefined;
  const {
    session_id: sessionId,
    csrf_token: csrfToken,
    expires_at: _e,
    last_seen_at: lastSeenAt,
    revoked_at: _r,
    ...user
  } = row;
  if (now - lastSeenAt >= TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
  }
  return { actor: await userActor(db, user, 'session'), sessionId, csrfToken };
}

export async function logout(ctx: Ctx, sessionId: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    await tx.db
      .updateTable('sessions')
      .set({ revoked_at: tx.clock.now() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
    await appendAudit(tx, { action: 'auth.logout', object: { type: 'session', id: sessionId } });
  });
}

/** Ends every session of a user (except, optionally, the one making the change). */
export async function revokeUserSessions(ctx: Ctx, userId: string, exceptSessionId?: string): Promise<void> {
  let q = ctx.db
    .updateTable('sessions')
    .set({ revoked_at: ctx.clock.now() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '<>', exceptSessionId);
  await q.execute();
}
