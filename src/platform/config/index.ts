export { loadConfig, describeConfig, maskUrl, ConfigError } from './config.ts';
export type { Config, DatabaseTarget, LogLevel, LoadConfigInput } from './config.ts';
export { CONFIG_KEYS, CONFIG_FILE_ENV } from './keys.ts';
export type {
  Declarations,
  DeclaredServiceSpec,
  DeclaredRouteSpec,
  DeclaredInhibitRuleSpec,
  DeclaredIntegrationSpec,
} from './declarations.ts';
