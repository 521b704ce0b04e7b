import { secretColumn, type SecretBox } from '../../platform/secrets/index.ts';
import type { Database, Db } from '../../storage/index.ts';

/** The queries behind the channel verbs, and the sealing of a channel's secrets. */

export type ChannelRow = Database['channels'];

/**
 * A channel's secret settings (webhook URLs with tokens, bot tokens, signing secrets): one sealed JSON object per
 * row, bound to `channels.secrets:<id>`. Registered in src/app/secret-columns.ts so key rotation reaches it.
 */
export const CHANNEL_SECRETS = secretColumn('channels', 'secrets');

/** Upper bound of one list: channels are read whole by the UI, and an unbounded query would block SQLite. */
export const MAX_LISTED_CHANNELS = 1000;

export async function findChannelRow(db: Db, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findChannelRowByName(db: Db, name: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function channelNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('channels').select('id').where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Channels of the given teams, by name. */
export async function listChannelRows(db: Db, teams: readonly string[]): Promise<ChannelRow[]> {
  if (teams.length === 0) return [];
  return db
    .selectFrom('channels')
    .selectAll()
    .where('team_id', 'in', [...teams])
    .orderBy('name')
    .limit(MAX_LISTED_CHANNELS)
    .execute();
}

export async function insertChannelRow(db: Db, row: ChannelRow): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

export async function updateChannelRow(
  db: Db,
  id: string,
  changes: Partial<Omit<ChannelRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('channels').set(changes).where('id', '=', id).execute();
}

export async function deleteChannelRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('channels').where('id', '=', id).execute();
}

/** The column value for `secrets` (null for none), bound to the channel's row. */
export function sealChannelSecrets(
  ctx: { readonly secrets: SecretBox },
  channelId: string,
  secrets: Readonly<Record<string, string>>,
): string | null {
  if (Object.keys(secrets).length === 0) return null;
  return ctx.secrets.seal(JSON.stringify(secrets), CHANNEL_SECRETS.aad(channelId));
}

/** The channel's secrets, opened; empty when it has none. For the dispatcher and for listing the key names. */
export function openChannelSecrets(
  ctx: { readonly secrets: SecretBox },
  row: Pick<ChannelRow, 'id' | 'secrets'>,
): Record<string, string> {
  if (row.secrets === null) return {};
  const value = JSON.parse(ctx.secrets.open(row.secrets, CHANNEL_SECRETS.aad(row.id))) as unknown;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  )
    throw new Error(`the secrets of channel ${row.id} are not an object of strings`);
  return value as Record<string, string>;
}
