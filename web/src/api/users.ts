import { queryOptions } from '@tanstack/react-query';
import { expectArray, expectRecord, getJson, sendJson } from './client.ts';
import type { Role } from './roles.ts';

export type UserStatus = 'active' | 'deactivated';

export interface TeamMembership {
  teamId: string;
  teamName: string;
  role: Role;
}

/** A person as the API shows them (src/identity/views.ts). */
export interface User {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  locale: string;
  role: Role;
  status: UserStatus;
  hasPassword: boolean;
  sso: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  teams: TeamMembership[];
}

export interface UserFilter {
  status?: UserStatus;
  q?: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  timeZone?: string;
  locale?: string;
  password?: string;
}

export interface UserPatch {
  name?: string;
  email?: string;
  timeZone?: string;
  locale?: string;
  role?: Role;
}

const parseUser = (path: string, body: unknown) => expectRecord<User>(path, body, 'email');

export function usersQuery(filter: UserFilter = {}) {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.q) params.set('q', filter.q);
  const query = params.size > 0 ? `?${params.toString()}` : '';
  return queryOptions({
    queryKey: ['users', 'list', filter],
    queryFn: async ({ signal }) =>
      expectArray<User>('/api/v1/users', await getJson(`/api/v1/users${query}`, { signal })),
  });
}

export async function createUser(input: NewUser): Promise<User> {
  return parseUser('/api/v1/users', await sendJson('POST', '/api/v1/users', input));
}

export async function updateUser(id: string, patch: UserPatch): Promise<User> {
  const path = `/api/v1/users/${encodeURIComponent(id)}`;
  return parseUser(path, await sendJson('PATCH', path, patch));
}

export async function setUserActive(id: string, active: boolean): Promise<User> {
  const path = `/api/v1/users/${encodeURIComponent(id)}/${active ? 'reactivate' : 'deactivate'}`;
  return parseUser(path, await sendJson('POST', path));
}

export async function changePassword(
  id: string,
  input: { newPassword: string; currentPassword?: string },
): Promise<void> {
  await sendJson('PUT', `/api/v1/users/${encodeURIComponent(id)}/password`, input);
}
