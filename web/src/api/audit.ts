import { infiniteQueryOptions } from '@tanstack/react-query';
import { expectArray, getJson } from './client.ts';

export type AuditOutcome = 'success' | 'failure';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  outcome: AuditOutcome;
  object: { type: string; id: string } | null;
  teamId: string | null;
  before: unknown;
  after: unknown;
  detail: string | null;
  ip: string | null;
  requestId: string | null;
}

/** The filters of GET /api/v1/audit and /api/v1/audit.csv; `from` and `to` are ISO instants. */
export const AUDIT_FILTER_KEYS = [
  'teamId',
  'action',
  'actorId',
  'objectType',
  'objectId',
  'outcome',
  'from',
  'to',
] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
export type AuditFilter = Partial<Record<AuditFilterKey, string>>;

export const AUDIT_PAGE_SIZE = 50;

/** Actions the server records today; the filter also takes any other name. */
export const KNOWN_AUDIT_ACTIONS = [
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.login_throttled',
  'auth.logout',
  'setup.completed',
  'user.created',
  'user.updated',
  'user.role_changed',
  'user.password_changed',
  'user.deactivated',
  'user.reactivated',
  'user.sso_linked',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.member_added',
  'team.member_role_changed',
  'team.member_removed',
  'token.created',
  'token.revoked',
  'sso_provider.created',
  'sso_provider.updated',
  'sso_provider.deleted',
] as const;

export const AUDIT_OBJECT_TYPES = ['user', 'team', 'api_token', 'sso_provider', 'session', 'login'] as const;

export function auditSearch(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** The CSV export of the same filters (the server caps it at 1000 rows). */
export function auditCsvHref(filter: AuditFilter): string {
  const query = auditSearch(filter).toString();
  return `/api/v1/audit.csv${query ? `?${query}` : ''}`;
}

/** Newest first, one page at a time: each page continues before the last id of the previous one. */
export const auditQuery = (filter: AuditFilter) =>
  infiniteQueryOptions({
    queryKey: ['audit', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) => {
      const params = auditSearch(filter);
      params.set('limit', String(AUDIT_PAGE_SIZE));
      if (pageParam) params.set('before', pageParam);
      return expectArray<AuditEntry>('/api/v1/audit', await getJson(`/api/v1/audit?${params}`, { signal }));
    },
    getNextPageParam: (page) => (page.length === AUDIT_PAGE_SIZE ? page.at(-1)?.id : undefined),
  });
