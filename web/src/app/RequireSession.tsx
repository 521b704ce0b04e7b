import { Button } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconRefresh } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { sessionQuery } from '../api/auth.ts';
import { describeError } from '../lib/errors.ts';
import { FullPageStatus } from './FullPageStatus.tsx';
import { navigate } from './router.ts';
import { SessionContext } from './session.ts';

/** Where a signed-out visitor goes: the sign-in page, which returns them here afterwards. */
function loginHref(): string {
  const here = window.location.pathname + window.location.search + window.location.hash;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** Renders its children only with a session; otherwise sends the visitor to sign in and back. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useQuery(sessionQuery);
  const signedOut = session.data === null;

  useEffect(() => {
    if (signedOut) navigate(loginHref(), { replace: true });
  }, [signedOut]);

  if (session.data) return <SessionContext value={session.data}>{children}</SessionContext>;
  if (session.isError && !session.isFetching) {
    return (
      <FullPageStatus label={describeError(session.error)}>
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} aria-hidden />}
          onClick={() => void session.refetch()}
        >
          Try again
        </Button>
      </FullPageStatus>
    );
  }
  return <FullPageStatus label={signedOut ? 'Taking you to sign in…' : 'Checking your session…'} />;
}
