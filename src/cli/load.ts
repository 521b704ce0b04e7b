import { loadConfig, type Config } from '../platform/config/index.ts';

export interface GlobalOptions {
  readonly config?: string;
}

/** Every command reads configuration the same way: defaults < --config file (or SIAGA_CONFIG) < environment. */
export function configFrom(opts: GlobalOptions): Config {
  return loadConfig({ env: process.env, file: opts.config });
}
