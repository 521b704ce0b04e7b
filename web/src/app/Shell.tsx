import { AppShell, Burger, Container, Group, Skeleton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect, useRef } from 'react';
import { Brand } from './Brand.tsx';
import { MainNav } from './MainNav.tsx';
import { renderRoute } from './routes.tsx';
import { useSearch } from './router.ts';
import { useCurrentUser } from './session.ts';
import { ThemeToggle } from './ThemeToggle.tsx';
import { UserMenu } from './UserMenu.tsx';

const NAVBAR_ID = 'main-navigation';

/** The signed-in frame: header with the account menu, the navigation the person's role allows, and the page. */
export function Shell({ path }: { path: string }) {
  const user = useCurrentUser();
  const search = useSearch();
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
          <Group gap="sm" wrap="nowrap">
            <ThemeToggle />
            <UserMenu onNavigate={nav.close} />
          </Group>
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
          <Suspense fallback={<Skeleton height={240} aria-label="Loading the page" />}>
            {renderRoute(path, new URLSearchParams(search), user)}
          </Suspense>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
