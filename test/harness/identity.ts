import type { LightMyRequestResponse } from 'fastify';
import { insertUser, setTeamMember, createTeam } from '../../src/identity/index.ts';
import type { Role } from '../../src/platform/context.ts';
import type { TestApp } from './app.ts';

export const PASSWORD = 'tangerine orbit pavilion 42';

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly password: string;
}

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

let counter = 0;

/** Creates a person directly through the verb (as the system), optionally in teams. */
export async function person(
  t: TestApp,
  role: Role,
  teams: Record<string, Role> = {},
  name?: string,
): Promise<Person> {
  const n = ++counter;
  const email = `${name ?? role}${n}@example.com`;
  const system = t.app.ctx({ kind: 'system', name: 'test-seed' });
  const row = await insertUser(system, { email, name: name ?? `${role} ${n}`, role, password: PASSWORD });
  for (const [teamId, teamRole] of Object.entries(teams))
    await setTeamMember(system, teamId, row.id, teamRole);
  return { id: row.id, email, password: PASSWORD };
}

export async function team(t: TestApp, name: string): Promise<string> {
  return (await createTeam(t.app.ctx({ kind: 'system', name: 'test-seed' }), { name })).id;
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  if (!first) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return first.split(';')[0]!;
}

export async function login(
  t: TestApp,
  p: Pick<Person, 'email' | 'password'>,
  remoteAddress = '127.0.0.1',
): Promise<Session> {
  const res = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: p.email, password: p.password },
    remoteAddress,
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return { cookie: cookieFrom(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
}

/** An authenticated request with a session (CSRF header included on writes unless told otherwise). */
export function as(t: TestApp, s: Session, opts: { csrf?: boolean } = {}) {
  return (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.http.inject({
      method,
      url,
      headers: {
        cookie: s.cookie,
        ...(method !== 'GET' && opts.csrf !== false ? { 'x-csrf-token': s.csrf } : {}),
      },
      ...(payload === undefined
        ? ['POST', 'PUT', 'PATCH'].includes(method)
          ? { payload: {} }
          : {}
        : { payload: payload as object }),
    });
}

export function withToken(t: TestApp, token: string) {
  return (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined
        ? ['POST', 'PUT', 'PATCH'].includes(method)
          ? { payload: {} }
          : {}
        : { payload: payload as object }),
    });
}
