// `npm test` runs this first: the browser tests need the built web UI and Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureWebBuild } from './web-build.ts';

/** Debian packages the tests run for real: the browser, and the peers the compatibility tests talk to. */
const NEEDED: readonly { binary: string; pkg: string; why: string }[] = [
  { binary: '/usr/bin/chromium', pkg: 'chromium', why: 'the browser tests' },
  { binary: '/usr/bin/prometheus', pkg: 'prometheus', why: 'the Prometheus compatibility tests' },
  {
    binary: '/usr/bin/prometheus-alertmanager',
    pkg: 'prometheus-alertmanager',
    why: 'the Alertmanager and amtool compatibility tests',
  },
];

ensureWebBuild();

const missing = NEEDED.filter((n) => !existsSync(n.binary));
if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  const pkgs = missing.map((m) => m.pkg);
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(
      `siaga: ${missing.map((m) => `${m.why} need ${m.binary}`).join('; ')}; install Debian's packages (sudo apt-get install ${pkgs.join(' ')})\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`siaga: installing Debian ${pkgs.join(', ')} for the tests (once)...\n`);
  // Packages may not start services on install: the tests start their own peers on loopback ports.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...pkgs],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      process.stderr.write(`siaga: apt-get ${args.join(' ')} failed; install ${pkgs.join(' ')} by hand\n`);
      process.exit(1);
    }
  }
}
