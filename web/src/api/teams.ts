import { queryOptions } from '@tanstack/react-query';
import { expectArray, expectRecord, getJson, sendJson } from './client.ts';
import type { Role } from './roles.ts';

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  members: TeamMember[];
}

const teamPath = (id: string) => `/api/v1/teams/${encodeURIComponent(id)}`;
const memberPath = (teamId: string, userId: string) =>
  `${teamPath(teamId)}/members/${encodeURIComponent(userId)}`;
const parseTeam = (path: string, body: unknown) => expectRecord<Team>(path, body, 'members');

/** Teams the signed-in person belongs to (all of them for global admins). */
export const teamsQuery = queryOptions({
  queryKey: ['teams', 'list'],
  queryFn: async ({ signal }) =>
    expectArray<Team>('/api/v1/teams', await getJson('/api/v1/teams', { signal })),
});

export const teamQuery = (id: string) =>
  queryOptions({
    queryKey: ['teams', 'one', id],
    queryFn: async ({ signal }) => parseTeam(teamPath(id), await getJson(teamPath(id), { signal })),
  });

export async function createTeam(input: { name: string; description?: string }): Promise<Team> {
  return parseTeam('/api/v1/teams', await sendJson('POST', '/api/v1/teams', input));
}

export async function updateTeam(id: string, patch: { name?: string; description?: string }): Promise<Team> {
  return parseTeam(teamPath(id), await sendJson('PATCH', teamPath(id), patch));
}

export async function deleteTeam(id: string): Promise<void> {
  await sendJson('DELETE', teamPath(id));
}

/** Adds a member, or changes the role of one already in the team. */
export async function setTeamMember(teamId: string, userId: string, role: Role): Promise<Team> {
  const path = memberPath(teamId, userId);
  return parseTeam(path, await sendJson('PUT', path, { role }));
}

export async function removeTeamMember(teamId: string, userId: string): Promise<Team> {
  const path = memberPath(teamId, userId);
  return parseTeam(path, await sendJson('DELETE', path));
}
