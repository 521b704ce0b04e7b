import type { Logger } from 'pino';
import { systemClock, type Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config/index.ts';
import type { Services } from '../platform/context.ts';
import { ulidIds, type IdGenerator } from '../platform/ids.ts';
import { createSecretBox, loadKeyring, type SecretBox } from '../platform/secrets/index.ts';
import { DEFAULT_SETTINGS, type Settings } from '../platform/settings.ts';

export interface ServiceOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly random?: () => number;
  readonly settings?: Settings;
  readonly secrets?: SecretBox;
}

/** The services every verb uses, built the same way for the server, the CLI and the tests (through overrides). */
export function createServices(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Services {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    ids: overrides.ids ?? ulidIds(clock),
    log: logger,
    random: overrides.random ?? Math.random,
    settings: overrides.settings ?? settingsFrom(config),
    secrets: overrides.secrets ?? createSecretBox(loadKeyring(config)),
    memo: new Map(),
  };
}

export function settingsFrom(config: Config): Settings {
  return {
    ...DEFAULT_SETTINGS,
    publicUrl: config.server.publicUrl,
    auth: {
      ...DEFAULT_SETTINGS.auth,
      sessionIdleMs: config.auth.sessionIdleMs,
      sessionMaxAgeMs: config.auth.sessionMaxAgeMs,
    },
    alerting: {
      ...DEFAULT_SETTINGS.alerting,
      resolveTimeoutMs: config.alerting.resolveTimeoutMs,
      rawRetentionMs: config.alerting.rawRetentionMs,
      silenceMaxDurationMs: config.alerting.silenceMaxDurationMs,
      pagerDutyEventsPerMinute: config.alerting.pagerDutyEventsPerMinute,
      emailDomain: config.alerting.emailListen ? config.alerting.emailDomain : undefined,
    },
    notify: config.notify,
  };
}
