import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import { closest } from './parsers.ts';
import { KEY_FILE_NAME } from '../secrets/key-file.ts';
import type { SecretKey } from '../secrets/secret-key.ts';
import type { NotifySettings } from '../settings.ts';
import { allowEntryProblem } from '../net/ssrf-policy.ts';
import {
  DECLARATION_SECTIONS,
  declaredKeyEnvNames,
  parseDeclarations,
  type Declarations,
} from './declarations.ts';
import { CONFIG_FILE_ENV, CONFIG_KEYS, OTHER_KNOWN_ENV, type KeySpec, type LOG_LEVELS } from './keys.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string };

export interface Config {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string;
    readonly bodyLimit: number;
    readonly trustProxy: boolean;
    readonly shutdownTimeoutMs: number;
  };
  readonly dataDir: string;
  readonly database: DatabaseTarget & { readonly poolSize: number };
  readonly secrets: {
    /** From SIAGA_SECRET_KEY (or `secrets.key`), first primary; undefined means "use the key file". */
    readonly keys: readonly SecretKey[] | undefined;
    readonly keyFile: string;
  };
  readonly log: { readonly level: LogLevel };
  readonly jobs: { readonly concurrency: number; readonly pollIntervalMs: number; readonly leaseMs: number };
  readonly auth: { readonly sessionIdleMs: number; readonly sessionMaxAgeMs: number };
  readonly alerting: {
    readonly resolveTimeoutMs: number;
    readonly rawRetentionMs: number;
    readonly silenceMaxDurationMs: number;
    readonly pagerDutyEventsPerMinute: number;
    /** host and port of the email-in listener; undefined while email-in is off. */
    readonly emailListen: { readonly host: string; readonly port: number } | undefined;
    readonly emailDomain: string;
  };
  readonly notify: NotifySettings;
  /** Services, integrations, routes and inhibition rules declared in the config file. */
  readonly declarations: Declarations | undefined;
  /** Where each setting came from, for `siaga config check`. */
  readonly sources: Readonly<Record<string, 'default' | 'file' | 'env'>>;
  readonly file: string | undefined;
}

/** Every problem found, each one line that names the key and says what is expected. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path given with --config; falls back to SIAGA_CONFIG. */
  readonly file?: string | undefined;
  readonly cwd?: string;
}

export function loadConfig(input: LoadConfigInput): Config {
  const cwd = input.cwd ?? process.cwd();
  const problems: string[] = [];
  const filePath = input.file ?? emptyToUndefined(input.env[CONFIG_FILE_ENV]);
  const declared: { doc?: Record<string, unknown> } = {};
  const fileValues = filePath
    ? readConfigFile(path.resolve(cwd, filePath), problems, declared)
    : new Map<string, unknown>();
  const declarations = declared.doc
    ? parseDeclarations(declared.doc, { file: filePath!, env: input.env, cwd }, problems)
    : undefined;

  const values = new Map<string, unknown>();
  const sources: Record<string, 'default' | 'file' | 'env'> = {};
  for (const spec of CONFIG_KEYS as readonly KeySpec[]) {
    const fromEnv = emptyToUndefined(input.env[spec.env]);
    const [raw, source, where] =
      fromEnv !== undefined
        ? [fromEnv, 'env' as const, `${spec.env} (environment)`]
        : fileValues.has(spec.key)
          ? [fileValues.get(spec.key), 'file' as const, `${spec.key} in ${filePath}`]
          : [undefined, 'default' as const, spec.key];
    if (raw === undefined || raw === null) {
      values.set(spec.key, spec.default);
      sources[spec.key] = 'default';
      continue;
    }
    try {
      values.set(spec.key, spec.parse(raw));
      sources[spec.key] = source;
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  problems.push(...unknownEnvProblems(input.env, declared.doc ? declaredKeyEnvNames(declared.doc) : []));
  if (problems.length > 0) throw new ConfigError(problems);

  const get = <T>(k: string): T => values.get(k) as T;
  const host = get<string>('server.host');
  const port = get<number>('server.port');
  const dataDir = path.resolve(cwd, get<string>('dataDir'));
  const dbUrl = get<string | undefined>('database.url');
  const database: DatabaseTarget =
    dbUrl === undefined
      ? { dialect: 'sqlite', file: path.join(dataDir, 'siaga.db') }
      : dbUrl.startsWith('sqlite:')
        ? { dialect: 'sqlite', file: path.resolve(cwd, sqliteFileFromUrl(dbUrl)) }
        : { dialect: 'postgres', url: dbUrl };
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const publicUrl = (get<string | undefined>('server.publicUrl') ?? `http://${urlHost}:${port}`).replace(
    /\/+$/,
    '',
  );
  const emailListen = hostPort(get<string | undefined>('alerting.emailListen'));
  if (emailListen === null)
    throw new ConfigError([
      `${sources['alerting.emailListen'] === 'env' ? 'SIAGA_EMAIL_LISTEN (environment)' : 'alerting.emailListen'}: expected host:port, e.g. 127.0.0.1:2525`,
    ]);
  return {
    server: {
      host,
      port,
      publicUrl,
      bodyLimit: get('server.bodyLimit'),
      trustProxy: get('server.trustProxy'),
      shutdownTimeoutMs: get('server.shutdownTimeout'),
    },
    dataDir,
    database: { ...database, poolSize: get('database.poolSize') },
    secrets: { keys: get('secrets.key'), keyFile: path.join(dataDir, KEY_FILE_NAME) },
    log: { level: get('log.level') },
    jobs: {
      concurrency: get('jobs.concurrency'),
      pollIntervalMs: get('jobs.pollInterval'),
      leaseMs: get('jobs.lease'),
    },
    auth: { sessionIdleMs: get('auth.sessionIdleTimeout'), sessionMaxAgeMs: get('auth.sessionMaxAge') },
    alerting: {
      resolveTimeoutMs: get('alerting.resolveTimeout'),
      rawRetentionMs: get('alerting.rawRetention'),
      silenceMaxDurationMs: get('alerting.silenceMaxDuration'),
      pagerDutyEventsPerMinute: get('alerting.pagerDutyEventsPerMinute'),
      emailListen: emailListen,
      emailDomain: get<string | undefined>('alerting.emailDomain') ?? new URL(publicUrl).hostname,
    },
    notify: notifySettings(get, publicUrl, get<string | undefined>('server.publicUrl') !== undefined),
    declarations,
    sources,
    file: filePath,
  };
}

/** Provider accounts are configured or absent as a whole: a half-configured one fails the start, by name. */
function notifySettings(
  get: <T>(k: string) => T,
  publicUrl: string,
  /** `server.publicUrl` was set: Twilio can presumably reach it, so status callbacks default to on. */
  publicUrlSet: boolean,
): NotifySettings {
  const host = new URL(publicUrl).hostname;
  const opt = (k: string) => get<string | undefined>(k);
  const problems: string[] = [];
  const all = (group: string, keys: string[]): boolean => {
    const set = keys.filter((k) => opt(`${group}.${k}`) !== undefined);
    if (set.length > 0 && set.length < keys.length)
      problems.push(
        `${group}: set ${keys.map((k) => `${group}.${k}`).join(', ')} together (missing ${keys
          .filter((k) => !set.includes(k))
          .map((k) => `${group}.${k}`)
          .join(', ')})`,
      );
    return set.length === keys.length;
  };
  const smtpUrl = opt('notify.smtp.url');
  const smtp = smtpUrl === undefined ? undefined : new URL(smtpUrl);
  const allowList = (opt('notify.outbound.allow') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  for (const entry of allowList) {
    const problem = allowEntryProblem(entry);
    if (problem) problems.push(`notify.outbound.allow: ${entry}: ${problem}`);
  }
  const twilio = all('notify.twilio', ['accountSid', 'authToken', 'from']);
  const webPush = all('notify.webPush', ['publicKey', 'privateKey']);
  if (problems.length > 0) throw new ConfigError(problems);
  const slackToken = opt('notify.slack.botToken');
  const slackSecret = opt('notify.slack.signingSecret');
  const telegramToken = opt('notify.telegram.botToken');
  const ntfyToken = opt('notify.ntfy.token');
  return {
    sendTimeoutMs: get('notify.sendTimeout'),
    maxAttempts: get('notify.maxAttempts'),
    outbound: {
      allowPrivate: get('notify.outbound.allowPrivate'),
      allow: allowList,
    },
    providers: {
      ...(smtp
        ? {
            smtp: {
              host: smtp.hostname,
              port: Number(smtp.port) || (smtp.protocol === 'smtps:' ? 465 : 587),
              secure: smtp.protocol === 'smtps:',
              ...(smtp.username ? { user: decodeURIComponent(smtp.username) } : {}),
              ...(smtp.password ? { password: decodeURIComponent(smtp.password) } : {}),
              from: opt('notify.smtp.from') ?? `siaga@${host}`,
            },
          }
        : {}),
      ...(twilio
        ? {
            twilio: {
              baseUrl: get<string>('notify.twilio.baseUrl').replace(/\/+$/, ''),
              accountSid: get<string>('notify.twilio.accountSid'),
              authToken: get<string>('notify.twilio.authToken'),
              from: get<string>('notify.twilio.from'),
              statusCallbacks: get<boolean | undefined>('notify.twilio.statusCallbacks') ?? publicUrlSet,
            },
          }
        : {}),
      slack: {
        apiBaseUrl: get<string>('notify.slack.apiBaseUrl').replace(/\/+$/, ''),
        ...(slackToken ? { botToken: slackToken } : {}),
        ...(slackSecret ? { signingSecret: slackSecret } : {}),
      },
      ...(telegramToken
        ? {
            telegram: {
              apiBaseUrl: get<string>('notify.telegram.apiBaseUrl').replace(/\/+$/, ''),
              botToken: telegramToken,
            },
          }
        : {}),
      ...(webPush
        ? {
            webPush: {
              publicKey: get<string>('notify.webPush.publicKey'),
              privateKey: get<string>('notify.webPush.privateKey'),
              subject: opt('notify.webPush.subject') ?? `mailto:siaga@${host}`,
            },
          }
        : {}),
      ntfy: {
        baseUrl: get<string>('notify.ntfy.baseUrl').replace(/\/+$/, ''),
        ...(ntfyToken ? { token: ntfyToken } : {}),
      },
    },
  };
}

function sqliteFileFromUrl(u: string): string {
  // sqlite:relative/file.db, sqlite:/abs/file.db and sqlite:///abs/file.db all name a file
  return decodeURIComponent(u.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
}

function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** `host:port` (IPv6 in brackets); undefined stays undefined, anything else unreadable is null. */
function hostPort(text: string | undefined): { host: string; port: number } | undefined | null {
  if (text === undefined) return undefined;
  const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function readConfigFile(
  file: string,
  problems: string[],
  declared: { doc?: Record<string, unknown> },
): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.push(
      `config file ${file}: ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`,
    );
    return new Map();
  }
  let doc: unknown;
  // Loaded only when there is a file to read (most deployments configure through the environment).
  const { parse: parseYaml, YAMLParseError } = createRequire(import.meta.url)('yaml') as typeof YamlModule;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}` : '';
    problems.push(`config file ${file}: not valid YAML${where}: ${(e as Error).message.split('\n')[0]}`);
    return new Map();
  }
  const out = new Map<string, unknown>();
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(`config file ${file}: expected a mapping of settings at the top level`);
    return out;
  }
  const settings: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  if (DECLARATION_SECTIONS.some((k) => k in settings)) {
    declared.doc = Object.fromEntries(
      DECLARATION_SECTIONS.filter((k) => k in settings).map((k) => [k, settings[k]]),
    );
    for (const k of DECLARATION_SECTIONS) delete settings[k];
  }
  flatten(settings, '', out);
  const known = new Set(CONFIG_KEYS.map((k) => k.key));
  const sections = new Set(CONFIG_KEYS.map((k) => k.key.split('.')[0]));
  for (const k of out.keys()) {
    if (known.has(k)) continue;
    if (sections.has(k) && !k.includes('.')) {
      problems.push(
        `${k} in ${file}: expected a mapping of settings (${[...known].filter((x) => x.startsWith(`${k}.`)).join(', ')})`,
      );
      continue;
    }
    const hint = closest(k, [...known]);
    problems.push(`${k} in ${file}: unknown key${hint ? ` (did you mean ${hint}?)` : ''}`);
  }
  return out;
}

/** Flattens nested mappings into dotted keys, stopping at values that are not plain mappings. */
function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  const known = new Set(CONFIG_KEYS.map((k) => k.key));
  for (const [k, v] of Object.entries(obj)) {
    const full = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !known.has(full)) {
      flatten(v as Record<string, unknown>, full, out);
    } else {
      out.set(full, v);
    }
  }
}

function unknownEnvProblems(
  env: Readonly<Record<string, string | undefined>>,
  alsoKnown: readonly string[],
): string[] {
  const known = [...CONFIG_KEYS.map((k) => k.env), ...OTHER_KNOWN_ENV, ...alsoKnown].filter((e) =>
    e.startsWith('SIAGA_'),
  );
  return Object.keys(env)
    .filter((name) => name.startsWith('SIAGA_') && !known.includes(name))
    .map((name) => {
      const hint = closest(name, known);
      return `${name} (environment): unknown setting${hint ? ` (did you mean ${hint}?)` : ''}`;
    });
}

/** The settings as `siaga config check` prints them, secrets masked. */
export function describeConfig(
  config: Config,
): { key: string; env: string; value: string; source: string }[] {
  const flat: Record<string, unknown> = {
    'server.host': config.server.host,
    'server.port': config.server.port,
    'server.publicUrl': config.server.publicUrl,
    'server.bodyLimit': config.server.bodyLimit,
    'server.trustProxy': config.server.trustProxy,
    'server.shutdownTimeout': `${config.server.shutdownTimeoutMs}ms`,
    dataDir: config.dataDir,
    'database.url':
      config.database.dialect === 'sqlite' ? `sqlite:${config.database.file}` : maskUrl(config.database.url),
    'database.poolSize': config.database.poolSize,
    'secrets.key': config.secrets.keys
      ? `*** (key ids ${config.secrets.keys.map((k) => k.id).join(', ')})`
      : `not set (key file ${config.secrets.keyFile})`,
    'log.level': config.log.level,
    'jobs.concurrency': config.jobs.concurrency,
    'jobs.pollInterval': `${config.jobs.pollIntervalMs}ms`,
    'jobs.lease': `${config.jobs.leaseMs}ms`,
    'auth.sessionIdleTimeout': `${config.auth.sessionIdleMs}ms`,
    'auth.sessionMaxAge': `${config.auth.sessionMaxAgeMs}ms`,
    'alerting.resolveTimeout': `${config.alerting.resolveTimeoutMs}ms`,
    'alerting.rawRetention': `${config.alerting.rawRetentionMs}ms`,
    'alerting.silenceMaxDuration': `${config.alerting.silenceMaxDurationMs}ms`,
    'alerting.pagerDutyEventsPerMinute': config.alerting.pagerDutyEventsPerMinute,
    'alerting.emailListen': config.alerting.emailListen
      ? `${config.alerting.emailListen.host}:${config.alerting.emailListen.port}`
      : 'off',
    'alerting.emailDomain': config.alerting.emailDomain,
    ...notifyDescription(config.notify),
  };
  return CONFIG_KEYS.map((k) => ({
    key: k.key,
    env: k.env,
    value: String(flat[k.key]),
    source: config.sources[k.key] ?? 'default',
  }));
}

/** Hides the password of a database URL. */
export function maskUrl(u: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '***';
  }
}

function notifyDescription(n: NotifySettings): Record<string, string | number | boolean> {
  const p = n.providers;
  return {
    'notify.sendTimeout': `${n.sendTimeoutMs}ms`,
    'notify.maxAttempts': n.maxAttempts,
    'notify.outbound.allowPrivate': n.outbound.allowPrivate,
    'notify.outbound.allow': n.outbound.allow.join(',') || 'none',
    'notify.smtp.url': p.smtp ? `smtp${p.smtp.secure ? 's' : ''}://***@${p.smtp.host}:${p.smtp.port}` : 'off',
    'notify.smtp.from': p.smtp?.from ?? 'off',
    'notify.twilio.accountSid': p.twilio?.accountSid ?? 'off',
    'notify.twilio.authToken': p.twilio ? '***' : 'off',
    'notify.twilio.from': p.twilio?.from ?? 'off',
    'notify.twilio.baseUrl': p.twilio?.baseUrl ?? 'off',
    'notify.twilio.statusCallbacks': p.twilio ? (p.twilio.statusCallbacks ?? false) : 'off',
    'notify.slack.botToken': p.slack?.botToken ? '***' : 'off',
    'notify.slack.signingSecret': p.slack?.signingSecret ? '***' : 'off',
    'notify.slack.apiBaseUrl': p.slack?.apiBaseUrl ?? 'off',
    'notify.telegram.botToken': p.telegram ? '***' : 'off',
    'notify.telegram.apiBaseUrl': p.telegram?.apiBaseUrl ?? 'off',
    'notify.webPush.publicKey': p.webPush?.publicKey ?? 'off',
    'notify.webPush.privateKey': p.webPush ? '***' : 'off',
    'notify.webPush.subject': p.webPush?.subject ?? 'off',
    'notify.ntfy.baseUrl': p.ntfy.baseUrl,
    'notify.ntfy.token': p.ntfy.token ? '***' : 'off',
  };
}
