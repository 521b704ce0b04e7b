import { DAY, HOUR } from './clock.ts';

/** Runtime settings verbs need, derived from the boot configuration once and carried in `Services`. */
export interface Settings {
  /** Base URL people use; links in messages and the first-run setup link start with it. */
  readonly publicUrl: string;
  readonly auth: {
    /** scrypt cost as log2(N); 17 = 128 MiB per hash (OWASP's minimum for scrypt). */
    readonly passwordHashLog2N: number;
    /** A session unused for this long ends. */
    readonly sessionIdleMs: number;
    /** A session ends this long after sign-in, however active. */
    readonly sessionMaxAgeMs: number;
  };
}

export const DEFAULT_SETTINGS: Settings = {
  publicUrl: 'http://127.0.0.1:8080',
  auth: { passwordHashLog2N: 17, sessionIdleMs: 24 * HOUR, sessionMaxAgeMs: 30 * DAY },
};

/** Session cookies are `Secure` (and `__Host-` prefixed) when people reach Siaga over TLS. */
export const usesTls = (s: Settings): boolean => s.publicUrl.startsWith('https:');
