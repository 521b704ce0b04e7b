import { MutationCache, QueryCache, QueryClient, type QueryKey } from '@tanstack/react-query';
import { SESSION_KEY } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';

const isSessionKey = (key: QueryKey) => key[0] === SESSION_KEY[0] && key[1] === SESSION_KEY[1];

/** A 4xx will not change on a retry (no access, not found, invalid); only blips and 5xx are worth one. */
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status !== null && error.status >= 400 && error.status < 500) {
    return false;
  }
  return failureCount < 1;
}

export function createQueryClient(): QueryClient {
  // Any 401 means the session ended (signed out elsewhere, expired, deactivated): the guard sends the person to
  // sign in. A CSRF refusal means the session changed in another tab: re-read who is signed in.
  const onError = (error: Error, key?: QueryKey) => {
    if (!(error instanceof ApiError) || (key && isSessionKey(key))) return;
    if (error.status === 401) client.setQueryData(SESSION_KEY, null);
    else if (error.status === 403 && error.code === 'csrf') {
      void client.invalidateQueries({ queryKey: SESSION_KEY });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: {
        // One quick retry hides a blip; longer outages should show up on screen, not behind a spinner.
        retry: shouldRetry,
        retryDelay: 500,
        staleTime: 5_000,
      },
    },
  });
  return client;
}
