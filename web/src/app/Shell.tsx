import { Anchor, AppShell, Burger, Container, Group, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconShieldHalfFilled } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { MainNav } from './MainNav.tsx';
import { renderRoute } from './routes.tsx';
import { normalizePath, useLink, usePathname } from './router.ts';
import { ThemeToggle } from './ThemeToggle.tsx';

const NAVBAR_ID = 'main-navigation';

function Brand({ onNavigate }: { onNavigate: () => void }) {
  const link = useLink('/', onNavigate);
  return (
    <Anchor {...link} underline="never" c="inherit" aria-label="Siaga home" className="siaga-brand">
      <Group gap={8} wrap="nowrap">
        <ThemeIcon size="md" radius="md" aria-hidden>
          <IconShieldHalfFilled size={16} />
        </ThemeIcon>
        <Text fw={700} size="lg">
          Siaga
        </Text>
      </Group>
    </Anchor>
  );
}

export function Shell() {
  const path = normalizePath(usePathname());
  const [navOpened, nav] = useDisclosure(false);
  const mainRef = useRef<HTMLElement>(null);
  const previousPath = useRef(path);

  // After an in-app navigation, move focus and scroll to the new page as a full page load would.
  useEffect(() => {
    if (previousPath.current === path) return;
    previousPath.current = path;
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: { sm: 240, lg: 280 }, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <a href="#main-content" className="siaga-skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
              aria-expanded={navOpened}
              aria-controls={NAVBAR_ID}
            />
            <Brand onNavigate={nav.close} />
          </Group>
          <ThemeToggle />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        id={NAVBAR_ID}
        aria-label="Main"
        p="sm"
        className="siaga-navbar"
        data-collapsed={navOpened ? undefined : true}
      >
        <MainNav current={path} onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main id="main-content" ref={mainRef} tabIndex={-1} className="siaga-main">
        <Container size="lg" px={0}>
          {renderRoute(path)}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
