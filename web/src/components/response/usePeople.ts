import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { teamsQuery, type Team } from '../../api/teams.ts';
import { usersQuery } from '../../api/users.ts';
import { isGlobalAdmin } from '../../app/access.ts';
import { useCurrentUser } from '../../app/session.ts';

export interface Person {
  id: string;
  name: string;
  email?: string;
}

export interface People {
  /** Everyone the signed-in person can see, by name. */
  all: Person[];
  /** Names by id, for ids found in schedules and logs. */
  names: ReadonlyMap<string, string>;
  /** People to offer for a team: its active members first, then everyone else one may see. */
  forTeam: (teamId: string | null | undefined) => Person[];
  teams: Team[];
  pending: boolean;
}

const byName = (a: Person, b: Person) => a.name.localeCompare(b.name);

/**
 * The people one can put on call or page: every active user for administrators (who may list users), else the
 * members of one's own teams, and always oneself.
 */
export function usePeople(): People {
  const user = useCurrentUser();
  const admin = isGlobalAdmin(user);
  const users = useQuery({ ...usersQuery({ status: 'active' }), enabled: admin });
  const teams = useQuery(teamsQuery);
  return useMemo(() => {
    const known = new Map<string, Person>([[user.id, { id: user.id, name: user.name, email: user.email }]]);
    for (const team of teams.data ?? [])
      for (const member of team.members)
        if (member.active && !known.has(member.userId))
          known.set(member.userId, { id: member.userId, name: member.name, email: member.email });
    for (const u of users.data ?? []) known.set(u.id, { id: u.id, name: u.name, email: u.email });
    const all = [...known.values()].sort(byName);
    const names = new Map(all.map((person) => [person.id, person.name]));
    const forTeam = (teamId: string | null | undefined) => {
      const members = new Set(
        (teams.data ?? []).find((team) => team.id === teamId)?.members.map((m) => m.userId) ?? [],
      );
      return [...all.filter((p) => members.has(p.id)), ...all.filter((p) => !members.has(p.id))];
    };
    return {
      all,
      names,
      forTeam,
      teams: teams.data ?? [],
      pending: teams.isPending || (admin && users.isPending),
    };
  }, [user, admin, users.data, users.isPending, teams.data, teams.isPending]);
}
