import { AppError } from '../platform/errors.ts';
import type { Ctx, Database } from '../storage/index.ts';
import { requireRole } from './authorize.ts';
import { roleFor } from './roles.ts';

export interface AuditFilter {
  teamId?: string;
  action?: string;
  actorId?: string;
  objectType?: string;
  objectId?: string;
  outcome?: 'success' | 'failure';
  /** ISO instants, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  /** Keyset pagination: entries older than this id. */
  before?: string;
  limit?: number;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  outcome: 'success' | 'failure';
  object: { type: string; id: string } | null;
  teamId: string | null;
  before: unknown;
  after: unknown;
  detail: string | null;
  ip: string | null;
  requestId: string | null;
}

const toView = (r: Database['audit_log']): AuditEntryView => ({
  id: r.id,
  at: new Date(r.at).toISOString(),
  actor: { kind: r.actor_kind, id: r.actor_id, label: r.actor_label },
  action: r.action,
  outcome: r.outcome,
  object: r.object_type && r.object_id ? { type: r.object_type, id: r.object_id } : null,
  teamId: r.team_id,
  before: r.before === null ? null : JSON.parse(r.before),
  after: r.after === null ? null : JSON.parse(r.after),
  detail: r.detail,
  ip: r.ip,
  requestId: r.request_id,
});

function instant(value: string, pointer: string): number {
  const t = Date.parse(value);
  if (!Number.isFinite(t))
    throw new AppError('validation', `${value} is not a date-time`, {
      errors: [{ pointer, detail: 'must be an ISO 8601 date-time' }],
    });
  return t;
}

/**
 * Global admins read the whole log; a team admin reads their team's entries only (and must name the team).
 * Entries come newest first.
 */
export async function listAudit(ctx: Ctx, filter: AuditFilter): Promise<AuditEntryView[]> {
  if (filter.teamId === undefined) {
    requireRole(ctx, 'admin', { teamId: null });
  } else {
    requireRole(ctx, 'admin', { teamId: filter.teamId, entity: 'team', id: filter.teamId });
  }
  let q = ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(filter.limit ?? 100, 1000));
  if (filter.teamId !== undefined) q = q.where('team_id', '=', filter.teamId);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.from) q = q.where('at', '>=', instant(filter.from, '/querystring/from') as never);
  if (filter.to) q = q.where('at', '<', instant(filter.to, '/querystring/to') as never);
  if (filter.before) q = q.where('id', '<', filter.before);
  const rows = await q.execute();
  // Defence in depth: a team admin never receives an entry of another team, whatever the filter said.
  return rows
    .filter((r) => filter.teamId === undefined || roleFor(ctx.actor, r.team_id) === 'admin')
    .map(toView);
}

const CSV_COLUMNS = [
  'id',
  'at',
  'actor_kind',
  'actor_id',
  'actor',
  'action',
  'outcome',
  'object_type',
  'object_id',
  'team_id',
  'before',
  'after',
  'detail',
  'ip',
  'request_id',
];

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function auditToCsv(entries: readonly AuditEntryView[]): string {
  const cell = (v: unknown): string => {
    let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = entries.map((e) =>
    [
      e.id,
      e.at,
      e.actor.kind,
      e.actor.id,
      e.actor.label,
      e.action,
      e.outcome,
      e.object?.type,
      e.object?.id,
      e.teamId,
      e.before,
      e.after,
      e.detail,
      e.ip,
      e.requestId,
    ]
      .map(cell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
