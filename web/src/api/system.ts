import { queryOptions } from '@tanstack/react-query';
import { ApiError, getJson, isRecord } from './client.ts';

export interface About {
  name: string;
  version: string;
  node: string;
  database: { dialect: string };
  startedAt: string;
  uptimeSeconds: number;
}

export type CheckStatus = 'ok' | 'fail';

export interface ReadinessCheck {
  name: string;
  status: CheckStatus;
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface Liveness {
  ok: boolean;
}

function unexpected(path: string): ApiError {
  return new ApiError(`${path} answered with an unexpected shape; is this a Siaga server?`, 200);
}

export function parseAbout(body: unknown): About {
  if (!isRecord(body) || !isRecord(body['database'])) throw unexpected('/api/v1/about');
  const { name, version, node, startedAt, uptimeSeconds } = body;
  const dialect = body['database']['dialect'];
  if (
    typeof name !== 'string' ||
    typeof version !== 'string' ||
    typeof node !== 'string' ||
    typeof startedAt !== 'string' ||
    typeof uptimeSeconds !== 'number' ||
    typeof dialect !== 'string'
  ) {
    throw unexpected('/api/v1/about');
  }
  return { name, version, node, database: { dialect }, startedAt, uptimeSeconds };
}

export function parseReadiness(body: unknown): Readiness {
  if (!isRecord(body) || typeof body['status'] !== 'string') throw unexpected('/readyz');
  const rawChecks = isRecord(body['checks']) ? body['checks'] : {};
  const checks = Object.entries(rawChecks).map(([name, raw]): ReadinessCheck => {
    const status: CheckStatus = isRecord(raw) && raw['status'] === 'ok' ? 'ok' : 'fail';
    const detail = isRecord(raw) && typeof raw['detail'] === 'string' ? raw['detail'] : undefined;
    return detail === undefined ? { name, status } : { name, status, detail };
  });
  return { ready: body['status'] === 'ready', checks };
}

export function parseLiveness(body: unknown): Liveness {
  if (!isRecord(body)) throw unexpected('/healthz');
  return { ok: body['status'] === 'ok' };
}

const REFRESH_MS = 15_000;

export const aboutQuery = queryOptions({
  queryKey: ['system', 'about'],
  queryFn: async ({ signal }) => parseAbout(await getJson('/api/v1/about', { signal })),
  refetchInterval: REFRESH_MS,
});

export const readinessQuery = queryOptions({
  queryKey: ['system', 'readiness'],
  queryFn: async ({ signal }) => parseReadiness(await getJson('/readyz', { signal, acceptStatuses: [503] })),
  refetchInterval: REFRESH_MS,
});

export const livenessQuery = queryOptions({
  queryKey: ['system', 'liveness'],
  queryFn: async ({ signal }) => parseLiveness(await getJson('/healthz', { signal })),
  refetchInterval: REFRESH_MS,
});
