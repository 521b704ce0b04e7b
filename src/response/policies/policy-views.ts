import { toIso } from '../../platform/clock.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import type { Db } from '../../storage/index.ts';
import type { PolicyTarget } from './model.ts';
import { parseSteps, type PolicyRow } from './policies.repo.ts';

/** What the API shows: the policy as stored, each target with the name people know it by. */

export interface PolicyTargetView {
  type: PolicyTarget['type'];
  id: string;
  /** Null when the target no longer exists. */
  name: string | null;
  /** The channel's kind, for channel targets that exist. */
  channelKind: ChannelKind | null;
  /** Why this target will page nobody (deleted, deactivated), for the policy editor to flag; null when fine. */
  warning: string | null;
}

export interface PolicyStepView {
  escalateAfterMinutes: number;
  roundRobin: boolean;
  targets: PolicyTargetView[];
}

export interface PolicyView {
  id: string;
  name: string;
  description: string;
  teamId: string;
  steps: PolicyStepView[];
  repeat: number;
  version: number;
  declared: boolean;
  createdAt: string;
  updatedAt: string;
}

interface Resolved {
  readonly name: string;
  readonly channelKind?: ChannelKind;
  readonly warning?: string;
}

/** Ids per query: far below both databases' limits on bound parameters. */
const CHUNK = 500;

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
  return out;
}

/** Names of every target of these rows: one query per target type (per 500 ids), whatever the number of policies. */
async function resolveTargets(db: Db, targets: readonly PolicyTarget[]): Promise<Map<string, Resolved>> {
  const ids = (type: PolicyTarget['type']) =>
    chunks([...new Set(targets.filter((t) => t.type === type).map((t) => t.id))]);
  const out = new Map<string, Resolved>();
  for (const some of ids('user'))
    for (const r of await db
      .selectFrom('users')
      .select(['id', 'name', 'status'])
      .where('id', 'in', some)
      .execute())
      out.set(`user:${r.id}`, {
        name: r.name,
        ...(r.status === 'active' ? {} : { warning: 'deactivated: this person is never paged' }),
      });
  for (const some of ids('schedule'))
    for (const r of await db.selectFrom('schedules').select(['id', 'name']).where('id', 'in', some).execute())
      out.set(`schedule:${r.id}`, { name: r.name });
  for (const some of ids('team'))
    for (const r of await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', some).execute())
      out.set(`team:${r.id}`, { name: r.name });
  for (const some of ids('channel'))
    for (const r of await db
      .selectFrom('channels')
      .select(['id', 'name', 'kind'])
      .where('id', 'in', some)
      .execute())
      out.set(`channel:${r.id}`, { name: r.name, channelKind: r.kind });
  return out;
}

const GONE: Record<PolicyTarget['type'], string> = {
  user: 'this user no longer exists',
  schedule: 'this schedule no longer exists',
  team: 'this team no longer exists',
  channel: 'this channel no longer exists',
};

function toView(row: PolicyRow, names: ReadonlyMap<string, Resolved>): PolicyView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    teamId: row.team_id,
    steps: parseSteps(row).map((s) => ({
      escalateAfterMinutes: s.escalateAfterMinutes,
      roundRobin: s.roundRobin,
      targets: s.targets.map((t): PolicyTargetView => {
        const found = names.get(`${t.type}:${t.id}`);
        return {
          type: t.type,
          id: t.id,
          name: found?.name ?? null,
          channelKind: found?.channelKind ?? null,
          warning: found ? (found.warning ?? null) : GONE[t.type],
        };
      }),
    })),
    repeat: row.repeat,
    version: row.version,
    declared: Boolean(row.declared),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export async function policyViews(db: Db, rows: readonly PolicyRow[]): Promise<PolicyView[]> {
  const names = await resolveTargets(
    db,
    rows.flatMap((r) => parseSteps(r).flatMap((s) => s.targets)),
  );
  return rows.map((r) => toView(r, names));
}

export async function policyView(db: Db, row: PolicyRow): Promise<PolicyView> {
  return (await policyViews(db, [row]))[0]!;
}
