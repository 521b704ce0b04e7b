// Runs before the app: same key and rules as the colour-scheme manager in src/app/theme.ts.
(function () {
  var scheme = 'light';
  try {
    var saved = window.localStorage.getItem('siaga-color-scheme');
    scheme =
      saved === 'light' || saved === 'dark'
        ? saved
        : window.matchMedia('(prefers-color-scheme: dark)').matches
          ? 'dark'
          : 'light';
  } catch {
    // Storage can be blocked (privacy mode); the app falls back to the OS preference.
  }
  document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
})();
