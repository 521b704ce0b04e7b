import { lazy, type ReactNode } from 'react';
import type { User } from '../api/users.ts';
import { NoAccessPage } from '../components/NoAccessPage.tsx';
import { StageHub } from '../components/StageHub.tsx';
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

const AlertsPage = lazy(() =>
  import('../pages/detect/alerts/AlertsPage.tsx').then((m) => ({ default: m.AlertsPage })),
);
const AlertPage = lazy(() =>
  import('../pages/detect/alerts/AlertPage.tsx').then((m) => ({ default: m.AlertPage })),
);
const IncidentsPage = lazy(() =>
  import('../pages/detect/incidents/IncidentsPage.tsx').then((m) => ({ default: m.IncidentsPage })),
);
const IncidentPage = lazy(() =>
  import('../pages/detect/incidents/IncidentPage.tsx').then((m) => ({ default: m.IncidentPage })),
);
const SilencesPage = lazy(() =>
  import('../pages/detect/silences/SilencesPage.tsx').then((m) => ({ default: m.SilencesPage })),
);
const RoutesPage = lazy(() =>
  import('../pages/detect/routes/RoutesPage.tsx').then((m) => ({ default: m.RoutesPage })),
);
const MaintenancePage = lazy(() =>
  import('../pages/detect/maintenance/MaintenancePage.tsx').then((m) => ({ default: m.MaintenancePage })),
);
const ServicesPage = lazy(() =>
  import('../pages/prepare/services/ServicesPage.tsx').then((m) => ({ default: m.ServicesPage })),
);
const ServicePage = lazy(() =>
  import('../pages/prepare/services/ServicePage.tsx').then((m) => ({ default: m.ServicePage })),
);

const OnCallPage = lazy(() =>
  import('../pages/respond/OnCallPage.tsx').then((m) => ({ default: m.OnCallPage })),
);
const SchedulesPage = lazy(() =>
  import('../pages/respond/schedules/SchedulesPage.tsx').then((m) => ({ default: m.SchedulesPage })),
);
const SchedulePage = lazy(() =>
  import('../pages/respond/schedules/SchedulePage.tsx').then((m) => ({ default: m.SchedulePage })),
);
const PoliciesPage = lazy(() =>
  import('../pages/respond/policies/PoliciesPage.tsx').then((m) => ({ default: m.PoliciesPage })),
);
const PolicyPage = lazy(() =>
  import('../pages/respond/policies/PolicyPage.tsx').then((m) => ({ default: m.PolicyPage })),
);
const ChannelsPage = lazy(() =>
  import('../pages/respond/channels/ChannelsPage.tsx').then((m) => ({ default: m.ChannelsPage })),
);

const TEAM_PATH = /^\/admin\/teams\/([^/]+)$/;
const ALERT_PATH = /^\/detect\/alerts\/([^/]+)$/;
const INCIDENT_PATH = /^\/detect\/incidents\/([^/]+)$/;
const SERVICE_PATH = /^\/prepare\/services\/([^/]+)$/;
const SCHEDULE_PATH = /^\/respond\/schedules\/([^/]+)$/;
const POLICY_PATH = /^\/respond\/escalation-policies\/([^/]+)$/;

/** The id in a detail page's path (`/detect/alerts/<id>`), or undefined when the path is another page's. */
const idIn = (pattern: RegExp, path: string): string | undefined => {
  const id = pattern.exec(path)?.[1];
  return id === undefined ? undefined : decodeURIComponent(id);
};

/** The Detect and Prepare pages (alerting and the service catalog); undefined for any other path. */
function renderAlertingRoute(path: string, search: URLSearchParams): ReactNode {
  if (path === '/detect/alerts') return <AlertsPage search={search} />;
  if (path === '/detect/incidents') return <IncidentsPage search={search} />;
  if (path === '/detect/silences') return <SilencesPage />;
  if (path === '/detect/routes') return <RoutesPage />;
  if (path === '/detect/maintenance') return <MaintenancePage />;
  if (path === '/prepare/services') return <ServicesPage />;
  const alertId = idIn(ALERT_PATH, path);
  if (alertId !== undefined) return <AlertPage key={alertId} alertId={alertId} />;
  const incidentId = idIn(INCIDENT_PATH, path);
  if (incidentId !== undefined) return <IncidentPage key={incidentId} incidentId={incidentId} />;
  const serviceId = idIn(SERVICE_PATH, path);
  if (serviceId !== undefined) return <ServicePage key={serviceId} serviceId={serviceId} />;
  return undefined;
}

/** The Respond pages (on-call, escalation, channels); undefined for any other path. */
function renderResponseRoute(path: string): ReactNode {
  if (path === '/respond/on-call') return <OnCallPage />;
  if (path === '/respond/schedules') return <SchedulesPage />;
  if (path === '/respond/escalation-policies') return <PoliciesPage />;
  if (path === '/respond/channels') return <ChannelsPage />;
  const scheduleId = idIn(SCHEDULE_PATH, path);
  if (scheduleId !== undefined) return <SchedulePage key={scheduleId} scheduleId={scheduleId} />;
  const policyId = idIn(POLICY_PATH, path);
  if (policyId !== undefined) return <PolicyPage key={policyId} policyId={policyId} />;
  return undefined;
}

/**
 * The page for a normalized path; unknown paths get a page, not a blank screen. Pages the person's role does
 * not allow say so instead of rendering (the server would refuse their data anyway).
 */
export function renderRoute(path: string, search: URLSearchParams, user: User): ReactNode {
  if (path === '/') return <HomePage />;
  if (path === '/about') return <AboutPage />;
  if (path === '/profile') return <ProfilePage />;
  const stage = STAGES.find((candidate) => candidate.path === path);
  if (stage?.pages) return <StageHub key={stage.path} stage={{ ...stage, pages: stage.pages }} />;
  if (stage) return <StagePage key={stage.path} stage={stage} />;
  const alerting = renderAlertingRoute(path, search);
  if (alerting !== undefined) return alerting;
  const response = renderResponseRoute(path);
  if (response !== undefined) return response;

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
