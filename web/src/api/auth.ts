import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { ApiError, expectRecord, getJson, sendJson } from './client.ts';
import { setCsrfToken } from './csrf.ts';
import type { User } from './users.ts';

/** Who is signed in, and the token our pages send back on writes. */
export interface Session {
  user: User;
  csrfToken: string;
}

export const SESSION_KEY = ['auth', 'session'] as const;

function parseSession(path: string, body: unknown): Session {
  const session = expectRecord<Session>(path, body, 'user');
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session, or null when nobody is signed in (401). */
export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  queryFn: async ({ signal }): Promise<Session | null> => {
    try {
      return parseSession('/api/v1/auth/session', await getJson('/api/v1/auth/session', { signal }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(undefined);
        return null;
      }
      throw error;
    }
  },
  staleTime: 60_000,
});

export const setupStatusQuery = queryOptions({
  queryKey: ['auth', 'setup'],
  queryFn: async ({ signal }) =>
    expectRecord<{ needed: boolean }>('/api/v1/setup', await getJson('/api/v1/setup', { signal }), 'needed'),
});

export async function login(input: { email: string; password: string }): Promise<Session> {
  return parseSession('/api/v1/auth/login', await sendJson('POST', '/api/v1/auth/login', input));
}

export interface SetupInput {
  token: string;
  email: string;
  name: string;
  password: string;
  timeZone?: string;
}

export async function completeSetup(input: SetupInput): Promise<Session> {
  return parseSession('/api/v1/setup', await sendJson('POST', '/api/v1/setup', input));
}

/** Ends the session on the server (an already-ended one is fine) and forgets everything the last user saw. */
export async function logout(queryClient: QueryClient): Promise<void> {
  try {
    await sendJson('POST', '/api/v1/auth/logout');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  signedOut(queryClient);
}

/** A new person is signed in: nothing cached for the previous one may show. */
export function signedIn(queryClient: QueryClient, session: Session): void {
  forgetAllButSession(queryClient);
  queryClient.setQueryData(SESSION_KEY, session);
}

export function signedOut(queryClient: QueryClient): void {
  setCsrfToken(undefined);
  forgetAllButSession(queryClient);
  queryClient.setQueryData(SESSION_KEY, null);
}

// The session query stays (its observers drive the guards); everything else belonged to the previous person.
function forgetAllButSession(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => !(query.queryKey[0] === SESSION_KEY[0] && query.queryKey[1] === SESSION_KEY[1]),
  });
}
