import pino from 'pino';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Services } from '../../src/platform/context.ts';
import { ulidIds } from '../../src/platform/ids.ts';
import { DEFAULT_SETTINGS } from '../../src/platform/settings.ts';
import { createSecretBox, Keyring, SecretKey } from '../../src/platform/secrets/index.ts';

export const T0 = '2026-03-01T09:00:00.000Z';

/** Cheap password hashing in tests (2^12); production uses 2^17. */
export const TEST_SETTINGS = {
  ...DEFAULT_SETTINGS,
  auth: { ...DEFAULT_SETTINGS.auth, passwordHashLog2N: 12 },
};

/** A fixed key, so tests can open what they seal. */
export const TEST_SECRETS = createSecretBox(new Keyring([SecretKey.generate()], { source: 'env' }));

/** Services with a manual clock, deterministic jitter and a silent logger. */
export function testServices(
  opts: { start?: string; random?: () => number } = {},
): Services & { clock: ManualClock } {
  const clock = new ManualClock(opts.start ?? T0);
  return {
    clock,
    ids: ulidIds(clock),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    random: opts.random ?? (() => 0),
    settings: TEST_SETTINGS,
    secrets: TEST_SECRETS,
    memo: new Map(),
  };
}
