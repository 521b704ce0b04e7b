import { AppError, conflict, notFound, validationError } from '../platform/errors.ts';
import type { Role } from '../platform/context.ts';
import { inTx, type Ctx } from '../storage/index.ts';
import { appendAudit } from './audit.ts';
import { isLocale, isTimeZone } from './locale.ts';
import { requireRole, requireUser } from './authorize.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { highestRole, atLeast } from './roles.ts';
import { revokeUserSessions } from './sessions.ts';
import {
  countActiveAdmins,
  findUserByEmail,
  findUserById,
  membershipsOf,
  normalizeEmail,
  type UserRow,
} from './users.repo.ts';
import { toUserView, type UserView } from './views.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  timeZone?: string;
  locale?: string;
  password?: string;
}

export function assertTimeZone(tz: string, pointer = '/timeZone'): void {
  if (!isTimeZone(tz)) {
    throw validationError(`${tz} is not an IANA time zone`, [
      { pointer, detail: 'must be an IANA time zone such as Europe/Berlin or Asia/Jakarta' },
    ]);
  }
}

export function assertLocale(locale: string, pointer = '/locale'): void {
  if (!isLocale(locale)) {
    throw validationError(`${locale} is not a locale`, [
      { pointer, detail: 'must be a BCP 47 locale such as en-GB or id-ID' },
    ]);
  }
}

async function viewOf(ctx: Ctx, row: UserRow): Promise<UserView> {
  return toUserView(row, (await membershipsOf(ctx.db, [row.id])).get(row.id) ?? []);
}

/** Inserts a user; shared by admin creation, first-run setup and SSO just-in-time creation. */
export async function insertUser(
  ctx: Ctx,
  input: CreateUserInput & { ssoSubject?: string | null },
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  const timeZone = input.timeZone ?? 'UTC';
  const locale = input.locale ?? 'en';
  assertTimeZone(timeZone);
  assertLocale(locale);
  if (input.password !== undefined) {
    const problem = await checkPasswordPolicy(input.password, { email, name: input.name });
    if (problem) throw validationError(`password ${problem.detail}`, [problem]);
  }
  const passwordHash =
    input.password === undefined
      ? null
      : await hashPassword(input.password, ctx.settings.auth.passwordHashLog2N);
  return inTx(ctx, async (tx) => {
    if (await findUserByEmail(tx.db, email))
      throw conflict(`a user with email ${email} already exists`, { email });
    const now = tx.clock.now();
    const row: UserRow = {
      id: tx.ids.next('usr'),
      email,
      name: input.name.trim(),
      time_zone: timeZone,
      locale,
      role: input.role,
      status: 'active',
      password_hash: passwordHash,
      sso_subject: input.ssoSubject ?? null,
      created_at: now,
      updated_at: now,
      last_login_at: null,
      deactivated_at: null,
    };
    await tx.db.insertInto('users').values(row).execute();
    await appendAudit(tx, {
      action: 'user.created',
      object: { type: 'user', id: row.id },
      after: toUserView(row),
    });
    return row;
  });
}

export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<UserView> {
  requireRole(ctx, 'admin', { teamId: null });
  return viewOf(ctx, await insertUser(ctx, input));
}

export async function getUser(ctx: Ctx, id: string): Promise<UserView> {
  const self = ctx.actor.kind === 'user' && ctx.actor.userId === id;
  if (!self) requireDirectoryAccess(ctx);
  const row = await findUserById(ctx.db, id);
  if (!row) throw notFound('user', id);
  return viewOf(ctx, row);
}

/** People directory: anyone who works incidents (observer and above, in any team) can see who is who. */
function requireDirectoryAccess(ctx: Ctx): void {
  const role = highestRole(ctx.actor);
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (!role || !atLeast(role, 'observer')) throw new AppError('forbidden', 'this needs the observer role');
  // A team's service token works for that team only; the people directory is not part of any one team.
  if (ctx.actor.kind === 'service' && ctx.actor.teamId !== null)
    throw new AppError('forbidden', 'a team service token cannot read the people directory');
}

export async function listUsers(
  ctx: Ctx,
  filter: { status?: 'active' | 'deactivated'; q?: string },
): Promise<UserView[]> {
  requireDirectoryAccess(ctx);
  let q = ctx.db.selectFrom('users').selectAll().orderBy('name').limit(1000);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.q) {
    const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb('email', 'like', like)]));
  }
  const rows = await q.execute();
  const teams = await membershipsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toUserView(r, teams.get(r.id) ?? []));
}

export interface UpdateUserInput {
  name?: string;
  email?: string;
  timeZone?: string;
  locale?: string;
  role?: Role;
}

/** People edit their own name, time zone and locale; admins edit anyone, including email and role. */
export async function updateUser(ctx: Ctx, id: string, patch: UpdateUserInput): Promise<UserView> {
  const self = ctx.actor.kind === 'user' && ctx.actor.userId === id;
  const adminFields = patch.email !== undefined || patch.role !== undefined;
  if (!self || adminFields) requireRole(ctx, 'admin', { teamId: null });
  if (patch.timeZone !== undefined) assertTimeZone(patch.timeZone);
  if (patch.locale !== undefined) assertLocale(patch.locale);
  return inTx(ctx, async (tx) => {
    const before = await findUserById(tx.db, id);
    if (!before) throw notFound('user', id);
    if (patch.role !== undefined && patch.role !== 'admin' && before.role === 'admin')
      await assertNotLastAdmin(tx, before);
    const email = patch.email === undefined ? before.email : normalizeEmail(patch.email);
    if (email !== before.email && (await findUserByEmail(tx.db, email)))
      throw conflict(`a user with email ${email} already exists`, { email });
    const after: UserRow = {
      ...before,
      name: patch.name?.trim() ?? before.name,
      email,
      time_zone: patch.timeZone ?? before.time_zone,
      locale: patch.locale ?? before.locale,
      role: patch.role ?? before.role,
      updated_at: tx.clock.now(),
    };
    await tx.db
      .updateTable('users')
      .set({
        name: after.name,
        email: after.email,
        time_zone: after.time_zone,
        locale: after.locale,
        role: after.role,
        updated_at: after.updated_at,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, {
      action: patch.role !== undefined && patch.role !== before.role ? 'user.role_changed' : 'user.updated',
      object: { type: 'user', id },
      before: toUserView(before),
      after: toUserView(after),
    });
    return viewOf(tx, after);
  });
}

async function assertNotLastAdmin(ctx: Ctx, user: UserRow): Promise<void> {
  if (user.role === 'admin' && user.status === 'active' && (await countActiveAdmins(ctx.db)) <= 1) {
    throw conflict('this is the last active administrator; make someone else an administrator first');
  }
}

/** Deactivated people cannot sign in; their sessions and tokens stop working at once; their history stays. */
export async function setUserStatus(
  ctx: Ctx,
  id: string,
  status: 'active' | 'deactivated',
): Promise<UserView> {
  requireRole(ctx, 'admin', { teamId: null });
  if (status === 'deactivated' && ctx.actor.kind === 'user' && ctx.actor.userId === id) {
    throw conflict('you cannot deactivate yourself');
  }
  return inTx(ctx, async (tx) => {
    const before = await findUserById(tx.db, id);
    if (!before) throw notFound('user', id);
    if (before.status === status) return viewOf(tx, before);
    if (status === 'deactivated') await assertNotLastAdmin(tx, before);
    const now = tx.clock.now();
    const after: UserRow = {
      ...before,
      status,
      updated_at: now,
      deactivated_at: status === 'deactivated' ? now : null,
    };
    await tx.db
      .updateTable('users')
      .set({ status, updated_at: now, deactivated_at: after.deactivated_at })
      .where('id', '=', id)
      .execute();
    if (status === 'deactivated') await revokeUserSessions(tx, id);
    await appendAudit(tx, {
      action: status === 'deactivated' ? 'user.deactivated' : 'user.reactivated',
      object: { type: 'user', id },
      before: { status: before.status },
      after: { status },
    });
    return viewOf(tx, after);
  });
}

/**
 * Changing one's own password needs the current one (when there is one); an admin may set anyone's. Either way
 * every other session of that person ends, so a stolen session dies with the old password.
 */
export async function changePassword(
  ctx: Ctx,
  input: { userId: string; newPassword: string; currentPassword?: string; keepSessionId?: string },
): Promise<void> {
  const actor = requireUser(ctx);
  const self = actor.userId === input.userId;
  if (!self) requireRole(ctx, 'admin', { teamId: null });
  const user = await findUserById(ctx.db, input.userId);
  if (!user) throw notFound('user', input.userId);
  if (self && user.password_hash !== null) {
    if (
      input.currentPassword === undefined ||
      !(await verifyPassword(input.currentPassword, user.password_hash))
    ) {
      throw validationError('the current password is not correct', [
        { pointer: '/currentPassword', detail: 'is not correct' },
      ]);
    }
  }
  const problem = await checkPasswordPolicy(
    input.newPassword,
    { email: user.email, name: user.name },
    '/newPassword',
  );
  if (problem) throw validationError(`new password ${problem.detail}`, [problem]);
  const hash = await hashPassword(input.newPassword, ctx.settings.auth.passwordHashLog2N);
  await inTx(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ password_hash: hash, updated_at: tx.clock.now() })
      .where('id', '=', user.id)
      .execute();
    await revokeUserSessions(tx, user.id, input.keepSessionId);
    await appendAudit(tx, { action: 'user.password_changed', object: { type: 'user', id: user.id } });
  });
}
