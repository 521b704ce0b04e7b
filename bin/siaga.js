#!/usr/bin/env node
// Launcher for the `siaga` command. The server is TypeScript run by Node's type stripping, which needs Node 24.12+.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 12)) {
  process.stderr.write(
    `siaga: needs Node.js 24.12 or newer (this is ${process.version}). ` +
      'Run it through npm (npm start, npx siaga), which uses the Node 24 installed with the project.\n',
  );
  process.exit(1);
}
// Type-stripped sources are cached between starts (see transpile-cache.js): later starts never load the TypeScript
// stripper (about 17 MiB less memory). SIAGA_NO_COMPILE_CACHE=1 turns the cache off. The switch is the launcher's,
// not a setting: it is taken out of the environment before the configuration (which refuses unknown SIAGA_*
// variables) reads it.
const noCache = Boolean(process.env.SIAGA_NO_COMPILE_CACHE);
delete process.env.SIAGA_NO_COMPILE_CACHE;
if (!noCache) (await import('./transpile-cache.js')).cacheTypeStrippedSources();
// Start-up runs in V8's efficiency mode (code that runs once is not optimised); the server leaves it once ready.
(await import('../src/platform/startup-mode.ts')).enterStartupMode();
await import('../src/main.ts');
