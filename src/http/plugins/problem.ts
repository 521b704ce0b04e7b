import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStorageUnavailable } from '../../storage/index.ts';
import { AppError, type ErrorCode, type FieldError } from '../../platform/errors.ts';

/**
 * The one place errors become HTTP: RFC 9457 `application/problem+json`. Client mistakes get a 4xx that says
 * what is wrong; anything unexpected is a 500 that leaks nothing and is logged with the request id.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
  readonly requestId: string;
  readonly [extra: string]: unknown;
}

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  precondition_failed: 412,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const PROBLEM_BASE = 'https://siaga.dev/problems';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => sendProblem(req, reply, toProblem(err, req)));
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, p: Problem): FastifyReply {
  if (p.status >= 500) req.log.error({ problem: p }, 'request failed');
  if ((p.code === 'rate_limited' || p.code === 'unavailable') && typeof p.retryAfterSeconds === 'number') {
    void reply.header('retry-after', String(Math.ceil(p.retryAfterSeconds)));
  }
  if (wantsAlertmanagerError(req)) {
    // amtool and other generated Alertmanager clients pick a decoder by content type and expect the error as a
    // JSON string (Alertmanager's OpenAPI); problem+json would reach them as "no consumer".
    return reply
      .status(p.status)
      .type('application/json')
      .send(JSON.stringify(p.detail ?? p.title));
  }
  return reply.status(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
}

/** An Alertmanager API v2 client (it asks for JSON, not for problem+json) calling an Alertmanager API route. */
function wantsAlertmanagerError(req: FastifyRequest): boolean {
  if (!req.url.startsWith('/api/v2/')) return false;
  const accept = String(req.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('application/problem+json');
}

export function problem(
  req: FastifyRequest,
  status: number,
  code: string,
  detail?: string,
  extra: object = {},
): Problem {
  return {
    type: `${PROBLEM_BASE}/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    instance: req.url.split('?')[0] ?? req.url,
    code,
    requestId: req.id,
    ...extra,
  };
}

export function toProblem(err: unknown, req: FastifyRequest): Problem {
  if (err instanceof AppError) {
    return problem(req, STATUS[err.code], err.code, err.message, {
      ...(err.errors ? { errors: err.errors } : {}),
      ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }),
      ...err.details,
    });
  }
  const fe = err as FastifyError & { validationContext?: string };
  if (fe.validation) {
    const part = fe.validationContext ?? 'body';
    const errors = fe.validation.map((v) => ({
      pointer: `/${part}${pointerOf(v.instancePath, v.params)}`,
      detail: describeValidation(v.keyword, v.message, v.params),
    }));
    const first = errors[0];
    return problem(
      req,
      400,
      'validation',
      first ? `${first.pointer}: ${first.detail}` : 'the request is not valid',
      { errors },
    );
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, unsupported media type) have safe messages.
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 429
            ? 'rate_limited'
            : 'bad_request';
    return problem(req, status, code, fe.message);
  }
  if (isStorageUnavailable(err)) {
    // Not the client's fault and nothing was committed: say so, and when to try again (senders retry a 503).
    req.log.error({ err }, 'database unavailable');
    return problem(
      req,
      503,
      'unavailable',
      'the database is unavailable right now; nothing was stored, retry shortly',
      {
        retryAfterSeconds: 5,
      },
    );
  }
  req.log.error({ err }, 'unhandled error');
  return problem(
    req,
    500,
    'internal',
    'an unexpected error occurred; the request id identifies it in the server log',
  );
}

function pointerOf(instancePath: string, params: Record<string, unknown>): string {
  const missing = params.missingProperty ?? params.additionalProperty;
  return typeof missing === 'string' ? `${instancePath}/${missing}` : instancePath;
}

function describeValidation(
  keyword: string,
  message: string | undefined,
  params: Record<string, unknown>,
): string {
  if (keyword === 'additionalProperties') return 'is not a known property';
  if (keyword === 'required') return 'is required';
  if (keyword === 'enum' && Array.isArray(params.allowedValues))
    return `must be one of ${params.allowedValues.join(', ')}`;
  return message ?? 'is not valid';
}
