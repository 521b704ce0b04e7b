import { toIsoOrNull } from '../platform/clock.ts';
import type { Role } from '../platform/context.ts';
import type { TeamRow, UserRow } from './users.repo.ts';

/** What the API shows of a user: never the password hash; whether one is set is enough. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  locale: string;
  role: Role;
  status: 'active' | 'deactivated';
  hasPassword: boolean;
  sso: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  teams: { teamId: string; teamName: string; role: Role }[];
}

const iso = toIsoOrNull;

export function toUserView(row: UserRow, teams: UserView['teams'] = []): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    timeZone: row.time_zone,
    locale: row.locale,
    role: row.role,
    status: row.status,
    hasPassword: row.password_hash !== null,
    sso: row.sso_subject !== null,
    createdAt: new Date(row.created_at).toISOString(),
    lastLoginAt: iso(row.last_login_at),
    teams,
  };
}

export interface TeamView {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  members: { userId: string; name: string; email: string; role: Role; active: boolean }[];
}

export function toTeamView(row: TeamRow, members: TeamView['members']): TeamView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: new Date(row.created_at).toISOString(),
    members,
  };
}

export { iso };
