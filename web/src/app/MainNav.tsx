import { AppShell, NavLink, ScrollArea, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { TablerIcon } from '@tabler/icons-react';
import { canManagePeople, canManageSso, canManageTeams, isGlobalAdmin } from './access.ts';
import { ABOUT_NAV, ADMIN_NAV, STAGES, type AdminArea, type Stage } from './nav.ts';
import { useLink } from './router.ts';
import { useCurrentUser } from './session.ts';

interface NavItemProps {
  path: string;
  label: string;
  summary?: string;
  icon: TablerIcon;
  current: string;
  onNavigate: () => void;
  /** A page of a stage, indented under it. */
  nested?: boolean;
}

/** A stage, and while one of its pages is open, its pages under it. */
function StageItem({
  stage,
  current,
  onNavigate,
}: {
  stage: Stage;
  current: string;
  onNavigate: () => void;
}) {
  const within = current === stage.path || current.startsWith(`${stage.path}/`);
  return (
    <>
      <NavItem {...stage} current={current} onNavigate={onNavigate} />
      {within && stage.pages && (
        <div role="list" aria-label={`${stage.label} pages`}>
          {stage.pages.map((page) => (
            <div role="listitem" key={page.path}>
              <NavItem {...page} current={current} onNavigate={onNavigate} nested />
            </div>
          ))}
        </div>
      )}
    </>
  );
}

function NavItem({ path, label, summary, icon: Icon, current, onNavigate, nested }: NavItemProps) {
  const link = useLink(path, onNavigate);
  const active = current === path || current.startsWith(`${path}/`);
  return (
    <NavLink
      {...link}
      label={label}
      description={summary}
      {...(nested ? { pl: 'xl', py: 6 } : {})}
      leftSection={<Icon size={20} stroke={1.6} aria-hidden />}
      active={active}
      aria-current={active ? 'page' : undefined}
      variant="light"
      className="siaga-nav-link"
      mb={4}
    />
  );
}

function NavGroup({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pb={6} id={id}>
        {title}
      </Text>
      <div role="list" aria-labelledby={id}>
        {children}
      </div>
    </>
  );
}

interface MainNavProps {
  current: string;
  onNavigate: () => void;
}

export function MainNav({ current, onNavigate }: MainNavProps) {
  const user = useCurrentUser();
  // Global admins see the whole group; team admins see Teams, where they manage their own teams.
  const allowed: Record<AdminArea, boolean> = {
    people: canManagePeople(user),
    teams: canManageTeams(user),
    sso: canManageSso(user),
    audit: isGlobalAdmin(user),
  };
  const admin = ADMIN_NAV.filter((item) => allowed[item.area]);
  return (
    <>
      <AppShell.Section grow component={ScrollArea} scrollbarSize={6}>
        <NavGroup id="stages-heading" title="Stages">
          {STAGES.map((stage) => (
            <div role="listitem" key={stage.path}>
              <StageItem stage={stage} current={current} onNavigate={onNavigate} />
            </div>
          ))}
        </NavGroup>
        {admin.length > 0 && (
          <>
            <div style={{ height: 'var(--mantine-spacing-md)' }} />
            <NavGroup id="admin-heading" title="Admin">
              {admin.map((item) => (
                <div role="listitem" key={item.path}>
                  <NavItem {...item} current={current} onNavigate={onNavigate} />
                </div>
              ))}
            </NavGroup>
          </>
        )}
      </AppShell.Section>
      <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
        <NavItem {...ABOUT_NAV} current={current} onNavigate={onNavigate} />
      </AppShell.Section>
    </>
  );
}
