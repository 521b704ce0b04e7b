/** A failed call to the Siaga server; `status` is null when the server could not be reached at all. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number | null;

  constructor(message: string, status: number | null) {
    super(message);
    this.status = status;
  }
}

export interface GetJsonOptions {
  signal?: AbortSignal;
  /** Statuses whose body is a normal answer (e.g. 503 from /readyz still says which check failed). */
  acceptStatuses?: readonly number[];
}

/** GETs a same-origin JSON resource; rejects with a readable ApiError on network, status or parse failures. */
export async function getJson(path: string, options: GetJsonOptions = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { accept: 'application/json' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('Cannot reach the Siaga server. Check that it is running and reachable.', null);
  }
  const accepted = response.ok || (options.acceptStatuses ?? []).includes(response.status);
  if (!accepted) throw new ApiError(await describeFailure(response), response.status);
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new ApiError(`${path} answered ${response.status} with a body that is not JSON.`, response.status);
  }
}

async function describeFailure(response: Response): Promise<string> {
  const fallback = `The server answered ${response.status} ${response.statusText}`.trim() + '.';
  // Error responses are RFC 9457 problem+json; a proxy in front may answer with HTML instead.
  try {
    const body: unknown = await response.json();
    if (isRecord(body)) {
      const detail = typeof body['detail'] === 'string' ? body['detail'] : undefined;
      const title = typeof body['title'] === 'string' ? body['title'] : undefined;
      if (detail ?? title) return `${fallback} ${detail ?? title}`;
    }
  } catch {
    // Not JSON: the status line is all we have.
  }
  return fallback;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
