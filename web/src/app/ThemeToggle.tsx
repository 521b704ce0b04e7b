import { ActionIcon, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '@tabler/icons-react';

/** A toggle button (aria-pressed) for the dark theme; the choice is saved, the OS preference applies until then. */
export function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const dark = useComputedColorScheme('light') === 'dark';
  const hint = dark ? 'Switch to light theme' : 'Switch to dark theme';
  return (
    <Tooltip label={hint} openDelay={400}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label="Dark theme"
        aria-pressed={dark}
        onClick={() => {
          setColorScheme(dark ? 'light' : 'dark');
        }}
      >
        {dark ? <IconSun size={18} stroke={1.6} /> : <IconMoon size={18} stroke={1.6} />}
      </ActionIcon>
    </Tooltip>
  );
}
