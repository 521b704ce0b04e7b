// `npm test` runs this first: the browser tests need the built web UI and Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureWebBuild } from './web-build.ts';

const CHROMIUM = '/usr/bin/chromium';

ensureWebBuild();

if (!existsSync(CHROMIUM)) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(
      `siaga: the browser tests need Chromium at ${CHROMIUM}; install Debian's chromium package (sudo apt-get install chromium)\n`,
    );
    process.exit(1);
  }
  process.stdout.write('siaga: installing Debian chromium for the browser tests (once)...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      process.stderr.write(`siaga: apt-get ${args.join(' ')} failed; install chromium by hand\n`);
      process.exit(1);
    }
  }
}
