import { LoginPage } from '../pages/auth/LoginPage.tsx';
import { SetupPage } from '../pages/auth/SetupPage.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { RequireSession } from './RequireSession.tsx';
import { normalizePath, usePathname } from './router.ts';
import { Shell } from './Shell.tsx';

/** Sign-in and first-run setup open without a session; every other page needs one. */
export function Root() {
  const path = normalizePath(usePathname());
  if (path === '/login' || path === '/setup') {
    return <AuthLayout>{path === '/login' ? <LoginPage /> : <SetupPage />}</AuthLayout>;
  }
  return (
    <RequireSession>
      <Shell path={path} />
    </RequireSession>
  );
}
