import { createTheme, localStorageColorSchemeManager } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  cursorType: 'pointer',
  // Keyboard users always see where they are; mouse clicks do not leave rings behind.
  focusRing: 'auto',
});

// public/color-scheme.js reads the same key before the app loads.
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'siaga-color-scheme' });
