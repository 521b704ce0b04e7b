import { csrfToken } from './csrf.ts';

/** One field the server rejected; `pointer` is a JSON pointer such as `/email` or `/body/email`. */
export interface FieldError {
  pointer: string;
  detail: string;
}

interface ProblemDetails {
  /** The server's own explanation (RFC 9457 `detail`), e.g. "the email or password is not correct". */
  detail?: string;
  /** The machine-readable problem code, e.g. `validation`, `forbidden`, `rate_limited`. */
  code?: string;
  fieldErrors?: readonly FieldError[];
  retryAfterSeconds?: number;
}

/** A failed call to the Siaga server; `status` is null when the server could not be reached at all. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number | null;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly fieldErrors: readonly FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, status: number | null, problem: ProblemDetails = {}) {
    super(message);
    this.status = status;
    this.detail = problem.detail;
    this.code = problem.code;
    this.fieldErrors = problem.fieldErrors ?? [];
    this.retryAfterSeconds = problem.retryAfterSeconds;
  }
}

export interface GetJsonOptions {
  signal?: AbortSignal;
  /** Statuses whose body is a normal answer (e.g. 503 from /readyz still says which check failed). */
  acceptStatuses?: readonly number[];
}

const UNREACHABLE = 'Cannot reach the Siaga server. Check that it is running and reachable.';

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(UNREACHABLE, null);
  }
}

async function readJson(path: string, response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new ApiError(`${path} answered ${response.status} with a body that is not JSON.`, response.status);
  }
}

/** GETs a same-origin JSON resource; rejects with a readable ApiError on network, status or parse failures. */
export async function getJson(path: string, options: GetJsonOptions = {}): Promise<unknown> {
  const response = await send(path, {
    headers: { accept: 'application/json' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const accepted = response.ok || (options.acceptStatuses ?? []).includes(response.status);
  if (!accepted) throw await toApiError(response);
  return readJson(path, response);
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Sends a JSON write with the session's CSRF token (the server refuses cookie-authenticated writes without it).
 * Resolves with the parsed body, or undefined for 204 No Content.
 */
export async function sendJson(method: WriteMethod, path: string, body: unknown = {}): Promise<unknown> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
  };
  const csrf = csrfToken();
  if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  const response = await send(path, { method, headers, body: JSON.stringify(body) });
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined;
  return readJson(path, response);
}

/** Error responses are RFC 9457 problem+json; a proxy in front may answer with HTML instead. */
async function toApiError(response: Response): Promise<ApiError> {
  const statusLine = `The server answered ${response.status} ${response.statusText}`.trim() + '.';
  const header = Number(response.headers.get('retry-after'));
  const problem: ProblemDetails = Number.isFinite(header) && header > 0 ? { retryAfterSeconds: header } : {};
  try {
    const body: unknown = await response.json();
    if (isRecord(body)) {
      const detail = typeof body['detail'] === 'string' ? body['detail'] : undefined;
      const title = typeof body['title'] === 'string' ? body['title'] : undefined;
      if (detail !== undefined) problem.detail = detail;
      if (typeof body['code'] === 'string') problem.code = body['code'];
      if (problem.retryAfterSeconds === undefined && typeof body['retryAfterSeconds'] === 'number') {
        problem.retryAfterSeconds = body['retryAfterSeconds'];
      }
      if (Array.isArray(body['errors'])) problem.fieldErrors = body['errors'].filter(isFieldError);
      const explanation = detail ?? title;
      return new ApiError(
        explanation ? `${statusLine} ${explanation}` : statusLine,
        response.status,
        problem,
      );
    }
  } catch {
    // Not JSON: the status line is all we have.
  }
  return new ApiError(statusLine, response.status, problem);
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value['pointer'] === 'string' && typeof value['detail'] === 'string';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shape checks for identity answers: enough to fail loudly on a foreign server, not a full schema. */
export function expectRecord<T>(path: string, body: unknown, key: string): T {
  if (!isRecord(body) || !(key in body)) throw unexpected(path);
  return body as T;
}

export function expectArray<T>(path: string, body: unknown): T[] {
  if (!Array.isArray(body)) throw unexpected(path);
  return body as T[];
}

export function unexpected(path: string): ApiError {
  return new ApiError(`${path} answered with an unexpected shape; is this a Siaga server?`, 200);
}

export const isStatus = (error: unknown, status: number): boolean =>
  error instanceof ApiError && error.status === status;
