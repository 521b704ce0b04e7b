import { Box, Card, Container, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from './Brand.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';

/** The frame of the pages reachable without a session (sign-in, first-run setup): one card, no navigation. */
export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <Box className="siaga-auth">
      <Group component="header" justify="space-between" px="md" h={56} wrap="nowrap">
        <Brand />
        <ThemeToggle />
      </Group>
      <Container component="main" id="main-content" size={480} px="md" py={{ base: 'md', sm: 48 }}>
        <Card withBorder radius="lg" shadow="sm" className="siaga-auth-card">
          {children}
        </Card>
      </Container>
    </Box>
  );
}
