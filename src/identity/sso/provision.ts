import type { Role } from '../../platform/context.ts';
import { isAppError } from '../../platform/errors.ts';
import { assertInTransaction, type Ctx } from '../../storage/index.ts';
import { appendAudit } from '../audit.ts';
import { atLeast } from '../roles.ts';
import { setTeamMember } from '../teams.ts';
import { findTeamById, findUserByEmail, membershipsOf, type UserRow } from '../users.repo.ts';
import { insertUser, updateUser } from '../users.ts';
import type { SsoIdentity } from './claims.ts';
import { failLogin } from './failure.ts';
import type { SsoProvider } from './model.ts';
import { findUserBySsoSubject, linkSsoSubject } from './sso.repo.ts';
import { isLocale, isTimeZone } from '../locale.ts';

export interface MappedAccess {
  /** The highest global role any of the person's groups grants; null when no group maps to one. */
  readonly role: Role | null;
  /** Team id → the highest role the person's groups grant in it. */
  readonly teams: ReadonlyMap<string, Role>;
}

const higher = (a: Role | null | undefined, b: Role): Role => (a && atLeast(a, b) ? a : b);

export function mapGroups(provider: SsoProvider, groups: readonly string[]): MappedAccess {
  const member = new Set(groups);
  let role: Role | null = null;
  for (const m of provider.roleMappings) if (member.has(m.group)) role = higher(role, m.role);
  const teams = new Map<string, Role>();
  for (const m of provider.teamMappings)
    if (member.has(m.group)) teams.set(m.teamId, higher(teams.get(m.teamId), m.role));
  return { role, teams };
}

const validZone = (tz: string | undefined): tz is string => tz !== undefined && isTimeZone(tz);
const validLocale = (locale: string | undefined): locale is string =>
  locale !== undefined && isLocale(locale.replace('_', '-'));

/**
 * Finds, links or creates the Siaga user for an identity the provider has vouched for, then applies the
 * provider's group mapping. Runs inside the sign-in transaction; refusals throw SsoFailure (rolling back).
 *
 * 1. A user already linked to this `<issuer>#<sub>` is that person.
 * 2. Else a user with the same email is linked, but only when the provider says the email is verified and the
 *    user has no SSO identity yet (otherwise anyone who can set an email at some provider could take the account).
 * 3. Else, with just-in-time creation on, a new user with the mapped role (or the provider's default role).
 * Deactivated users are refused. Role and team changes are audited as made by `system:sso:<slug>`.
 */
export async function provisionSsoUser(
  ctx: Ctx,
  provider: SsoProvider,
  identity: SsoIdentity,
): Promise<UserRow> {
  assertInTransaction(ctx);
  const system: Ctx = { ...ctx, actor: { kind: 'system', name: `sso:${provider.slug}` } };
  const mapped = mapGroups(provider, identity.groups);
  let user = await findUserBySsoSubject(ctx.db, identity.subject);
  let created = false;

  if (!user && identity.email !== undefined) {
    const byEmail = await findUserByEmail(ctx.db, identity.email);
    if (byEmail) {
      if (byEmail.sso_subject !== null)
        failLogin('account_conflict', `${identity.email} is linked to ${byEmail.sso_subject}`, byEmail.id);
      if (!identity.emailVerified)
        failLogin(
          'email_unverified',
          `email ${identity.email} matches a user but is not verified`,
          byEmail.id,
        );
      if (byEmail.status !== 'active')
        failLogin('account_deactivated', 'the user is deactivated', byEmail.id);
      if (!(await linkSsoSubject(ctx.db, byEmail.id, identity.subject, ctx.clock.now())))
        failLogin('account_conflict', 'the user was linked to another identity meanwhile', byEmail.id);
      await appendAudit(system, {
        action: 'user.sso_linked',
        object: { type: 'user', id: byEmail.id },
        after: { ssoSubject: identity.subject },
        detail: `sso:${provider.slug}: linked by verified email`,
      });
      user = { ...byEmail, sso_subject: identity.subject };
    }
  }

  if (!user) {
    if (!provider.jit)
      failLogin('no_account', `no user for ${identity.subject} and just-in-time creation is off`);
    if (identity.email === undefined) failLogin('no_email', 'the provider sent no email claim');
    const role = mapped.role ?? provider.defaultRole;
    if (role === null)
      failLogin(
        'no_role',
        `groups [${identity.groups.join(', ')}] match no mapping and there is no default role`,
      );
    user = await insertUser(system, {
      email: identity.email,
      name: (identity.name ?? identity.email.split('@')[0]!).slice(0, 200),
      role,
      ...(validZone(identity.zoneinfo) ? { timeZone: identity.zoneinfo } : {}),
      ...(validLocale(identity.locale) ? { locale: identity.locale.replace('_', '-') } : {}),
      ssoSubject: identity.subject,
    });
    created = true;
  }

  if (user.status !== 'active') failLogin('account_deactivated', 'the user is deactivated', user.id);

  if (!created && mapped.role !== null && mapped.role !== user.role) {
    try {
      const changed = await updateUser(system, user.id, { role: mapped.role });
      user = { ...user, role: changed.role };
    } catch (err) {
      if (!isAppError(err) || err.code !== 'conflict') throw err;
      // Demoting the last active administrator would lock everyone out of administration: keep the role.
      await appendAudit(system, {
        action: 'user.role_changed',
        outcome: 'failure',
        object: { type: 'user', id: user.id },
        before: { role: user.role },
        after: { role: mapped.role },
        detail: `sso:${provider.slug}: kept ${user.role}: ${err.message}`,
      });
    }
  }

  const current = new Map(
    ((await membershipsOf(ctx.db, [user.id])).get(user.id) ?? []).map((m) => [m.teamId, m.role]),
  );
  for (const [teamId, role] of mapped.teams) {
    if (current.get(teamId) === role) continue;
    if (!(await findTeamById(ctx.db, teamId))) {
      ctx.log.warn(
        { provider: provider.slug, teamId },
        'SSO team mapping names a team that no longer exists',
      );
      continue;
    }
    await setTeamMember(system, teamId, user.id, role);
  }
  return user;
}
