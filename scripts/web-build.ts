import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const WEB = path.join(ROOT, 'web');
const BUILT = path.join(WEB, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than any source file of the web app. */
export function webBuildIsStale(): boolean {
  return !existsSync(BUILT) || statSync(BUILT).mtimeMs < newestMtime(WEB);
}

/** Builds the web app with Vite when it is missing or stale; a no-op otherwise (npm start stays fast). */
export function ensureWebBuild(): void {
  if (!webBuildIsStale()) return;
  process.stdout.write('siaga: building the web UI (web/dist)...\n');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(WEB, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    process.stderr.write('siaga: building the web UI failed (see above)\n');
    process.exit(r.status ?? 1);
  }
}
