import { StartupError } from '../app/server.ts';
import { ConfigError } from '../platform/config/index.ts';
import { AppError } from '../platform/errors.ts';
import { SecretsError } from '../platform/secrets/index.ts';
import { AlreadyRunningError, MigrationError, StorageUnavailableError } from '../storage/index.ts';

/**
 * Failures an operator can fix are printed as one line each on stderr (no stack trace); anything else is a bug
 * and keeps its stack. Returns the exit code.
 */
export function reportCliError(
  err: unknown,
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): number {
  if (err instanceof ConfigError) {
    for (const p of err.problems) write(`siaga: configuration error: ${p}`);
    return 78; // EX_CONFIG
  }
  if (
    err instanceof StartupError ||
    err instanceof StorageUnavailableError ||
    err instanceof AlreadyRunningError ||
    err instanceof MigrationError ||
    err instanceof SecretsError
  ) {
    write(`siaga: ${err.message}`);
    return 1;
  }
  if (err instanceof AppError && err.code !== 'unavailable') {
    write(`siaga: ${err.message}`);
    for (const e of err.errors ?? []) write(`siaga:   ${e.pointer}: ${e.detail}`);
    return 1;
  }
  write(`siaga: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 70; // EX_SOFTWARE
}
