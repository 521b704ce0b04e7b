import { AppShell, NavLink, ScrollArea, Text } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import { ABOUT_NAV, STAGES } from './nav.ts';
import { useLink } from './router.ts';

interface NavItemProps {
  path: string;
  label: string;
  summary: string;
  icon: TablerIcon;
  current: string;
  onNavigate: () => void;
}

function NavItem({ path, label, summary, icon: Icon, current, onNavigate }: NavItemProps) {
  const link = useLink(path, onNavigate);
  const active = current === path || current.startsWith(`${path}/`);
  return (
    <NavLink
      {...link}
      label={label}
      description={summary}
      leftSection={<Icon size={20} stroke={1.6} aria-hidden />}
      active={active}
      aria-current={active ? 'page' : undefined}
      variant="light"
      className="siaga-nav-link"
      mb={4}
    />
  );
}

interface MainNavProps {
  current: string;
  onNavigate: () => void;
}

export function MainNav({ current, onNavigate }: MainNavProps) {
  return (
    <>
      <AppShell.Section grow component={ScrollArea} scrollbarSize={6}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pb={6} id="stages-heading">
          Stages
        </Text>
        <div role="list" aria-labelledby="stages-heading">
          {STAGES.map((stage) => (
            <div role="listitem" key={stage.path}>
              <NavItem {...stage} current={current} onNavigate={onNavigate} />
            </div>
          ))}
        </div>
      </AppShell.Section>
      <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
        <NavItem {...ABOUT_NAV} current={current} onNavigate={onNavigate} />
      </AppShell.Section>
    </>
  );
}
