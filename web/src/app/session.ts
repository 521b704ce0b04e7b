import { createContext, useContext } from 'react';
import type { Session } from '../api/auth.ts';
import type { User } from '../api/users.ts';

/** The signed-in session; RequireSession provides it to every page behind sign-in. */
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <RequireSession>');
  return session;
}

export function useCurrentUser(): User {
  return useSession().user;
}
