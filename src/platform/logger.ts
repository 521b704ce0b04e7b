import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/index.ts';

/** Paths whose values never reach a log line, whatever a caller passes in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.integrationKey',
  '*.routingKey',
  '*.clientSecret',
  '*.client_secret',
  '*.signingSecret',
  '*.privateKey',
  '*.csrfToken',
  'config.database.url',
];

/** JSON lines on stdout (or the given stream): one event per line, ready for any log shipper. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'siaga' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
