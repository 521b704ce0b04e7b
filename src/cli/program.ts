import { Command } from 'commander';
import { VERSION } from '../app/version.ts';
import { generateVapidKeys } from '../response/channels/vapid.ts';
import { CONFIG_KEYS } from '../platform/config/index.ts';
import type { GlobalOptions } from './load.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

const ENV_HELP = `
Configuration comes from defaults, then a YAML file (--config or SIAGA_CONFIG), then environment variables:
${CONFIG_KEYS.map((k) => `  ${k.env.padEnd(26)} ${k.description}`).join('\n')}

Examples:
  siaga serve                                   web UI and API on http://127.0.0.1:8080, SQLite in ./data
  PORT=9000 siaga serve                         another port
  DATABASE_URL=postgres://siaga@db/siaga siaga serve   PostgreSQL (run several nodes against it)
  siaga config check --connect                  validate settings and try the database
`;

export function buildProgram(): Command {
  const program = new Command('siaga')
    .description('Siaga: incident management in one process. Monitor, alert, page the right people, learn.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('-c, --config <file>', 'YAML configuration file (default: SIAGA_CONFIG, if set)')
    .showHelpAfterError('(run siaga --help for usage)')
    .addHelpText('after', ENV_HELP);

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  // Each command's module is imported when that command runs: `serve` does not load the shell-only commands (and
  // `readline`), and the short commands do not load what only the others need.
  program
    .command('serve')
    .description(
      'run the server: web UI, API, alert ingestion and background jobs (migrates the database first)',
    )
    .action(async () => (await import('./commands/serve.ts')).serveCommand(globals()));

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option('--status', 'list applied and pending migrations without applying anything')
    .action(async (opts: { status?: boolean }) =>
      (await import('./commands/migrate.ts')).migrateCommand({ ...globals(), ...opts }, out),
    );

  const config = program.command('config').description('inspect configuration');
  config
    .command('check')
    .description('validate the configuration and print the effective settings (secrets masked)')
    .option('--connect', 'also check that the data directory is writable and the database answers')
    .action(async (opts: { connect?: boolean }) =>
      (await import('./commands/config-check.ts')).configCheckCommand({ ...globals(), ...opts }, out),
    );

  const secrets = program.command('secrets').description('manage the keys that encrypt stored secrets');
  secrets
    .command('rotate')
    .description(
      'make a new key primary (key file) or the first key of SIAGA_SECRET_KEY, and re-seal every stored secret with it',
    )
    .option('--drop-old', 'instead, remove the older keys from the key file once nothing is sealed with them')
    .action(async (opts: { dropOld?: boolean }) =>
      (await import('./commands/secrets.ts')).secretsRotateCommand({ ...globals(), ...opts }, out),
    );
  secrets
    .command('status')
    .description('show the key ids (never the keys) and how many stored secrets each one seals')
    .action(async () => (await import('./commands/secrets.ts')).secretsStatusCommand(globals(), out));

  const admin = program.command('admin').description('manage administrators from the shell');
  admin
    .command('create')
    .description('create an administrator (the first one, or a new one if nobody can administer any more)')
    .requiredOption('--email <email>', 'their email (they sign in with it)')
    .requiredOption('--name <name>', 'their name as people see it')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Asia/Jakarta (default UTC)')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .action(async (opts: { email: string; name: string; timeZone?: string; passwordStdin?: boolean }) =>
      (await import('./commands/admin.ts')).adminCreateCommand({ ...globals(), ...opts }, out),
    );

  program
    .command('vapid-keys')
    .description(
      'make a VAPID key pair for Web Push (set them as notify.webPush.publicKey and privateKey, once)',
    )
    .action(() => {
      const keys = generateVapidKeys();
      out(`SIAGA_VAPID_PUBLIC_KEY=${keys.publicKey}`);
      out(`SIAGA_VAPID_PRIVATE_KEY=${keys.privateKey}`);
    });

  program
    .command('version')
    .description('print the version of Siaga and of Node.js')
    .action(() => {
      out(`siaga ${VERSION} (node ${process.version})`);
    });

  return program;
}
