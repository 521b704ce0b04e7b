import { lazy, type ReactNode } from 'react';
import type { User } from '../api/users.ts';
import { NoAccessPage } from '../components/NoAccessPage.tsx';
import { AboutPage } from '../pages/AboutPage.tsx';
import { HomePage } from '../pages/HomePage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { StagePage } from '../pages/StagePage.tsx';
import { canManagePeople, canManageSso, canManageTeam, canManageTeams, canReadAudit } from './access.ts';
import { STAGES } from './nav.ts';

// Pages most people open rarely load on first use, keeping the first load small (Shell wraps them in Suspense).
const ProfilePage = lazy(() =>
  import('../pages/profile/ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })),
);
const UsersPage = lazy(() =>
  import('../pages/admin/users/UsersPage.tsx').then((m) => ({ default: m.UsersPage })),
);
const TeamsPage = lazy(() =>
  import('../pages/admin/teams/TeamsPage.tsx').then((m) => ({ default: m.TeamsPage })),
);
const TeamPage = lazy(() =>
  import('../pages/admin/teams/TeamPage.tsx').then((m) => ({ default: m.TeamPage })),
);
const SsoPage = lazy(() => import('../pages/admin/sso/SsoPage.tsx').then((m) => ({ default: m.SsoPage })));
const AuditPage = lazy(() =>
  import('../pages/admin/audit/AuditPage.tsx').then((m) => ({ default: m.AuditPage })),
);

const TEAM_PATH = /^\/admin\/teams\/([^/]+)$/;

/**
 * The page for a normalized path; unknown paths get a page, not a blank screen. Pages the person's role does
 * not allow say so instead of rendering (the server would refuse their data anyway).
 */
export function renderRoute(path: string, search: URLSearchParams, user: User): ReactNode {
  if (path === '/') return <HomePage />;
  if (path === '/about') return <AboutPage />;
  if (path === '/profile') return <ProfilePage />;
  const stage = STAGES.find((candidate) => candidate.path === path);
  if (stage) return <StagePage key={stage.path} stage={stage} />;

  if (path === '/admin/users') {
    return canManagePeople(user) ? (
      <UsersPage />
    ) : (
      <NoAccessPage needs="Only administrators manage people." />
    );
  }
  if (path === '/admin/teams') {
    return canManageTeams(user) ? (
      <TeamsPage />
    ) : (
      <NoAccessPage needs="Only administrators and team admins manage teams." />
    );
  }
  const team = TEAM_PATH.exec(path);
  if (team?.[1]) {
    const teamId = decodeURIComponent(team[1]);
    return canManageTeam(user, teamId) ? (
      <TeamPage key={teamId} teamId={teamId} />
    ) : (
      <NoAccessPage needs="Only administrators and this team's admins manage it." />
    );
  }
  if (path === '/admin/sso') {
    return canManageSso(user) ? (
      <SsoPage />
    ) : (
      <NoAccessPage needs="Only administrators manage single sign-on." />
    );
  }
  if (path === '/admin/audit') {
    return canReadAudit(user) ? (
      <AuditPage search={search} />
    ) : (
      <NoAccessPage needs="Only administrators read the audit log." />
    );
  }
  return <NotFoundPage path={path} />;
}
