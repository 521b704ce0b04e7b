#!/usr/bin/env node
// Launcher for the `siaga` command. The server is TypeScript run by Node's type stripping, which needs Node 24.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `siaga: needs Node.js 24 or newer (this is ${process.version}). ` +
      'Run it through npm (npm start, npx siaga), which uses the Node 24 installed with the project.\n',
  );
  process.exit(1);
}
await import('../src/main.ts');
