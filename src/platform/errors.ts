/**
 * One error type for every expected failure in the domain. Transports map it once: HTTP to
 * `application/problem+json` (src/http/plugins/problem.ts), the CLI to an exit code and one line.
 * Bugs are not AppErrors: they surface as 500s with no internal detail leaked.
 */
export const ERROR_CODES = [
  'validation',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'precondition_failed',
  'rate_limited',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** JSON pointer to the offending value, e.g. `/port` or `/alerts/0/labels`. */
  readonly pointer: string;
  readonly detail: string;
}

export interface AppErrorOptions {
  readonly details?: Record<string, unknown>;
  readonly errors?: readonly FieldError[];
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly errors: readonly FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, opts: AppErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = opts.details;
    this.errors = opts.errors;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const validationError = (message: string, errors?: readonly FieldError[]) =>
  new AppError('validation', message, errors ? { errors } : {});
export const notFound = (entity: string, id: string) =>
  new AppError('not_found', `${entity} ${id} not found`, { details: { entity, id } });
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError('conflict', message, details ? { details } : {});
export const unavailable = (message: string, cause?: unknown) =>
  new AppError('unavailable', message, { cause });
