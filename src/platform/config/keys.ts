import { bool, bytes, duration, int, oneOf, str, url, type Parser } from './parsers.ts';
import { DAY, HOUR, MINUTE, SECOND } from '../clock.ts';
import { parseKeyList } from '../secrets/secret-key.ts';

/**
 * Every boot setting, once: its place in the YAML file, its environment variable, its parser, its default and
 * what it does. The loader, `siaga config check` and `siaga --help` read this list; test/unit/config-docs.test.ts
 * keeps the tables in README.md and docs/operations/configuration.md in step with it.
 */
export interface KeySpec<T = unknown> {
  /** Dotted path in the YAML file. */
  readonly key: string;
  readonly env: string;
  readonly parse: Parser<T>;
  /** `undefined` means "not set" (the key is optional and has no default). */
  readonly default: T | undefined;
  /** How the default reads in docs when it is computed. */
  readonly defaultText?: string;
  readonly description: string;
  /** Shown as `***` by `siaga config check`. */
  readonly secret?: boolean;
}

const key = <T>(spec: KeySpec<T>): KeySpec<T> => spec;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const CONFIG_KEYS = [
  key({
    key: 'server.host',
    env: 'HOST',
    parse: str({ nonEmpty: true }),
    default: '127.0.0.1',
    description: 'Address the HTTP server listens on. Use 0.0.0.0 to accept connections from other machines.',
  }),
  key({
    key: 'server.port',
    env: 'PORT',
    parse: int(0, 65535),
    default: 8080,
    description: 'TCP port of the HTTP server (web UI, API, ingestion endpoints).',
  }),
  key({
    key: 'server.publicUrl',
    env: 'SIAGA_PUBLIC_URL',
    parse: url(['http:', 'https:']),
    default: undefined,
    defaultText: 'http://HOST:PORT',
    description: 'URL people and senders use to reach Siaga; used in links and snippets.',
  }),
  key({
    key: 'server.bodyLimit',
    env: 'SIAGA_BODY_LIMIT',
    parse: bytes(1024, 64 * 1024 ** 2),
    default: 1024 ** 2,
    defaultText: '1MiB',
    description: 'Largest request body accepted; larger bodies get 413.',
  }),
  key({
    key: 'server.trustProxy',
    env: 'SIAGA_TRUST_PROXY',
    parse: bool,
    default: false,
    description: 'Trust X-Forwarded-* headers (set when Siaga runs behind a reverse proxy).',
  }),
  key({
    key: 'server.shutdownTimeout',
    env: 'SIAGA_SHUTDOWN_TIMEOUT',
    parse: duration(100, 60 * SECOND),
    default: 8 * SECOND,
    defaultText: '8s',
    description: 'How long SIGTERM waits for in-flight requests and jobs before exiting anyway.',
  }),
  key({
    key: 'dataDir',
    env: 'SIAGA_DATA_DIR',
    parse: str({ nonEmpty: true }),
    default: './data',
    description: 'Directory for the SQLite database and other local state. Created if missing.',
  }),
  key({
    key: 'database.url',
    env: 'DATABASE_URL',
    parse: url(['postgres:', 'postgresql:', 'sqlite:']),
    default: undefined,
    defaultText: 'SQLite in SIAGA_DATA_DIR/siaga.db',
    secret: true,
    description: 'postgres://user:pass@host:5432/db for PostgreSQL (many nodes), or sqlite:/path/to/file.db.',
  }),
  key({
    key: 'database.poolSize',
    env: 'SIAGA_DATABASE_POOL_SIZE',
    parse: int(1, 200),
    default: 10,
    description: 'PostgreSQL connections per node.',
  }),
  key({
    key: 'secrets.key',
    env: 'SIAGA_SECRET_KEY',
    parse: parseKeyList,
    default: undefined,
    defaultText: 'key file SIAGA_DATA_DIR/secret.key',
    secret: true,
    description:
      'Keys that encrypt stored secrets: base64 of 32 random bytes each (openssl rand -base64 32), comma-separated; the first encrypts, all decrypt. Unset: SIAGA_DATA_DIR/secret.key, created at first start.',
  }),
  key({
    key: 'log.level',
    env: 'SIAGA_LOG_LEVEL',
    parse: oneOf(LOG_LEVELS),
    default: 'info',
    description: `Log level: ${LOG_LEVELS.join(', ')}. Logs are JSON lines on standard output.`,
  }),
  key({
    key: 'jobs.concurrency',
    env: 'SIAGA_JOBS_CONCURRENCY',
    parse: int(1, 256),
    default: 8,
    description: 'Background jobs (escalations, notifications, checks) run at once on this node.',
  }),
  key({
    key: 'jobs.pollInterval',
    env: 'SIAGA_JOBS_POLL_INTERVAL',
    parse: duration(10, MINUTE),
    default: SECOND,
    defaultText: '1s',
    description: 'Longest wait before looking for due jobs when nothing woke the runner.',
  }),
  key({
    key: 'jobs.lease',
    env: 'SIAGA_JOBS_LEASE',
    parse: duration(SECOND, HOUR),
    default: MINUTE,
    defaultText: '1m',
    description: 'How long a claimed job is reserved; a node that dies frees its jobs after this.',
  }),
  key({
    key: 'auth.sessionIdleTimeout',
    env: 'SIAGA_SESSION_IDLE_TIMEOUT',
    parse: duration(5 * MINUTE, 90 * DAY),
    default: 24 * HOUR,
    defaultText: '24h',
    description: 'A browser session unused for this long ends.',
  }),
  key({
    key: 'auth.sessionMaxAge',
    env: 'SIAGA_SESSION_MAX_AGE',
    parse: duration(HOUR, 365 * DAY),
    default: 30 * DAY,
    defaultText: '30d',
    description: 'A browser session ends this long after sign-in, however active.',
  }),
  key({
    key: 'alerting.resolveTimeout',
    env: 'SIAGA_RESOLVE_TIMEOUT',
    parse: duration(SECOND, 7 * DAY),
    default: 5 * MINUTE,
    defaultText: '5m',
    description:
      "An Alertmanager API alert sent without endsAt resolves this long after it was last sent (Alertmanager's resolve_timeout).",
  }),
  key({
    key: 'alerting.rawRetention',
    env: 'SIAGA_RAW_RETENTION',
    parse: duration(0, 365 * DAY),
    default: 7 * DAY,
    defaultText: '7d',
    description:
      'How long an alert keeps the payload it arrived with (shown on its detail page); 0 keeps none.',
  }),
  key({
    key: 'alerting.silenceMaxDuration',
    env: 'SIAGA_SILENCE_MAX_DURATION',
    parse: duration(MINUTE, 3650 * DAY),
    default: 90 * DAY,
    defaultText: '90d',
    description: 'Longest a silence may last.',
  }),
  key({
    key: 'alerting.pagerDutyEventsPerMinute',
    env: 'SIAGA_PAGERDUTY_EVENTS_PER_MINUTE',
    parse: int(1, 1_000_000),
    default: 1200,
    description: 'Events one PagerDuty routing key may send per minute (per node) before it gets 429.',
  }),
  key({
    key: 'alerting.emailListen',
    env: 'SIAGA_EMAIL_LISTEN',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'off',
    description:
      'host:port of the email-in SMTP listener (e.g. 127.0.0.1:2525); unset switches email-in off.',
  }),
  key({
    key: 'alerting.emailDomain',
    env: 'SIAGA_EMAIL_DOMAIN',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'the host of server.publicUrl',
    description: 'Domain of email-in addresses: mail to <integration key>@<domain> becomes alerts.',
  }),
  key({
    key: 'notify.sendTimeout',
    env: 'SIAGA_NOTIFY_SEND_TIMEOUT',
    parse: duration(SECOND, 60 * SECOND),
    default: 10 * SECOND,
    defaultText: '10s',
    description:
      'Longest one call to a notification provider may take; a slower one is retried (or, for SMS and voice, marked unknown).',
  }),
  key({
    key: 'notify.maxAttempts',
    env: 'SIAGA_NOTIFY_MAX_ATTEMPTS',
    parse: int(1, 50),
    default: 12,
    description:
      'Attempts of one notification before it fails for good (retries back off from 5 s to 5 min).',
  }),
  key({
    key: 'notify.outbound.allowPrivate',
    env: 'SIAGA_OUTBOUND_ALLOW_PRIVATE',
    parse: bool,
    default: false,
    description:
      'Let outgoing requests reach private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7); loopback and link-local still need notify.outbound.allow.',
  }),
  key({
    key: 'notify.outbound.allow',
    env: 'SIAGA_OUTBOUND_ALLOW',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'none',
    description:
      'Comma-separated host:port, ip:port, ip or CIDR entries outgoing requests may reach although they are private.',
  }),
  key({
    key: 'notify.smtp.url',
    env: 'SIAGA_SMTP_URL',
    parse: url(['smtp:', 'smtps:']),
    default: undefined,
    defaultText: 'off',
    description:
      'SMTP server for e-mail notifications: smtp://user:password@host:587 (STARTTLS) or smtps://…:465.',
    secret: true,
  }),
  key({
    key: 'notify.smtp.from',
    env: 'SIAGA_SMTP_FROM',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'siaga@<public host>',
    description: 'From address of e-mail notifications.',
  }),
  key({
    key: 'notify.twilio.accountSid',
    env: 'SIAGA_TWILIO_ACCOUNT_SID',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'off',
    description: 'Twilio (or compatible) account SID for SMS and voice notifications.',
  }),
  key({
    key: 'notify.twilio.authToken',
    env: 'SIAGA_TWILIO_AUTH_TOKEN',
    parse: str({ nonEmpty: true }),
    default: undefined,
    description: 'Twilio auth token: authenticates calls to Twilio and validates its callbacks.',
    secret: true,
  }),
  key({
    key: 'notify.twilio.from',
    env: 'SIAGA_TWILIO_FROM',
    parse: str({ nonEmpty: true }),
    default: undefined,
    description: 'Number SMS and calls come from (E.164).',
  }),
  key({
    key: 'notify.twilio.baseUrl',
    env: 'SIAGA_TWILIO_BASE_URL',
    parse: url(['http:', 'https:']),
    default: 'https://api.twilio.com',
    description: 'Base URL of the Twilio-compatible REST API.',
  }),
  key({
    key: 'notify.twilio.statusCallbacks',
    env: 'SIAGA_TWILIO_STATUS_CALLBACKS',
    parse: bool,
    default: undefined,
    defaultText: 'on when server.publicUrl is set',
    description:
      'Ask Twilio to report delivery status to {publicUrl}/api/v1/callbacks/twilio/status; an undelivered SMS or unanswered call then fails in the delivery log.',
  }),
  key({
    key: 'notify.slack.botToken',
    env: 'SIAGA_SLACK_BOT_TOKEN',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'off',
    description: 'Slack bot token (xoxb-…) for chat.postMessage to channels and direct messages.',
    secret: true,
  }),
  key({
    key: 'notify.slack.signingSecret',
    env: 'SIAGA_SLACK_SIGNING_SECRET',
    parse: str({ nonEmpty: true }),
    default: undefined,
    description: 'Slack app signing secret: verifies Acknowledge/Resolve button callbacks.',
    secret: true,
  }),
  key({
    key: 'notify.slack.apiBaseUrl',
    env: 'SIAGA_SLACK_API_BASE_URL',
    parse: url(['http:', 'https:']),
    default: 'https://slack.com/api',
    description: 'Base URL of the Slack Web API.',
  }),
  key({
    key: 'notify.telegram.botToken',
    env: 'SIAGA_TELEGRAM_BOT_TOKEN',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'off',
    description: 'Telegram bot token for Telegram notifications.',
    secret: true,
  }),
  key({
    key: 'notify.telegram.apiBaseUrl',
    env: 'SIAGA_TELEGRAM_API_BASE_URL',
    parse: url(['http:', 'https:']),
    default: 'https://api.telegram.org',
    description: 'Base URL of the Telegram Bot API.',
  }),
  key({
    key: 'notify.webPush.publicKey',
    env: 'SIAGA_VAPID_PUBLIC_KEY',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'off',
    description: 'VAPID public key for Web Push (generate a pair with `siaga vapid-keys`).',
  }),
  key({
    key: 'notify.webPush.privateKey',
    env: 'SIAGA_VAPID_PRIVATE_KEY',
    parse: str({ nonEmpty: true }),
    default: undefined,
    description: 'VAPID private key for Web Push.',
    secret: true,
  }),
  key({
    key: 'notify.webPush.subject',
    env: 'SIAGA_VAPID_SUBJECT',
    parse: str({ nonEmpty: true }),
    default: undefined,
    defaultText: 'mailto:siaga@<public host>',
    description: 'VAPID subject: a mailto: or https: URL push services can contact you at.',
  }),
  key({
    key: 'notify.ntfy.baseUrl',
    env: 'SIAGA_NTFY_BASE_URL',
    parse: url(['http:', 'https:']),
    default: 'https://ntfy.sh',
    description: 'ntfy server for ntfy topics given by name.',
  }),
  key({
    key: 'notify.ntfy.token',
    env: 'SIAGA_NTFY_TOKEN',
    parse: str({ nonEmpty: true }),
    default: undefined,
    description: 'Access token for the ntfy server, if it needs one.',
    secret: true,
  }),
] as const;

export const CONFIG_FILE_ENV = 'SIAGA_CONFIG';

/** Environment variables that are read outside this table (SIAGA_* names not listed here are typos). */
export const OTHER_KNOWN_ENV = [CONFIG_FILE_ENV] as const;
