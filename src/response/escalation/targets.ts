import type { EpochMs } from '../../platform/clock.ts';
import { queryTemplate, type Ctx } from '../../storage/index.ts';
import type { PolicyTarget } from '../policies/model.ts';
import { onCallUserIds, teamOnCallUserIds } from '../schedules/index.ts';

export interface Person {
  readonly id: string;
  readonly name: string;
}

export interface ChannelTarget {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
}

/** A step's targets as they stand at `at`: the people to page (each once) and the shared channels to post to. */
export interface ResolvedTargets {
  readonly people: readonly Person[];
  readonly channels: readonly ChannelTarget[];
  /** What each target came to, for the timeline: 'schedule Primary: nobody on call'. */
  readonly notes: readonly string[];
}

// Most steps name one person or one channel: those lookups are compiled once (storage/templates.ts).
const activeUser = queryTemplate((db, a: { id: string }) =>
  db.selectFrom('users').select(['id', 'name']).where('id', '=', a.id).where('status', '=', 'active'),
);
const channelById = queryTemplate((db, a: { id: string }) =>
  db.selectFrom('channels').select(['id', 'name', 'kind']).where('id', '=', a.id),
);

async function activeUsers(ctx: Ctx, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  if (ids.length === 1) return (await activeUser.run(ctx, { id: ids[0]! })).rows;
  return ctx.db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .where('status', '=', 'active')
    .execute();
}

async function channelsById(ctx: Ctx, ids: readonly string[]): Promise<ChannelTarget[]> {
  if (ids.length === 0) return [];
  if (ids.length === 1) return (await channelById.run(ctx, { id: ids[0]! })).rows;
  return ctx.db.selectFrom('channels').select(['id', 'name', 'kind']).where('id', 'in', ids).execute();
}

export async function resolveTargets(
  ctx: Ctx,
  targets: readonly PolicyTarget[],
  at: EpochMs,
): Promise<ResolvedTargets> {
  const userIds: string[] = [];
  const channelIds: string[] = [];
  const notes: string[] = [];
  for (const t of targets) {
    switch (t.type) {
      case 'user':
        userIds.push(t.id);
        break;
      case 'schedule': {
        const ids = await onCallUserIds(ctx, t.id, at);
        if (ids.length === 0) notes.push(`schedule ${await nameOf(ctx, 'schedules', t.id)}: nobody on call`);
        userIds.push(...ids);
        break;
      }
      case 'team': {
        const ids = await teamOnCallUserIds(ctx, t.id, at);
        if (ids.length === 0) notes.push(`team ${await nameOf(ctx, 'teams', t.id)}: nobody on call`);
        userIds.push(...ids);
        break;
      }
      case 'channel':
        channelIds.push(t.id);
        break;
    }
  }
  const unique = [...new Set(userIds)];
  const people = await activeUsers(ctx, unique);
  // Keep the order the step names people in (round-robin depends on it).
  const byId = new Map(people.map((p) => [p.id, p]));
  const uniqueChannels = [...new Set(channelIds)];
  const channels = await channelsById(ctx, uniqueChannels);
  if (channels.length < uniqueChannels.length) notes.push('a channel of this step no longer exists');
  return {
    people: unique.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
    channels,
    notes,
  };
}

async function nameOf(ctx: Ctx, table: 'schedules' | 'teams', id: string): Promise<string> {
  const row = await ctx.db.selectFrom(table).select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? id;
}
