import { toIso } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/secrets/index.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import { openChannelSecrets, type ChannelRow } from './channels.repo.ts';

/** What the API shows of a channel: its settings, and of its secrets only their names. */
export interface ChannelView {
  id: string;
  name: string;
  teamId: string;
  kind: ChannelKind;
  config: Record<string, unknown>;
  /** Names of the secret settings, sorted; their values are never shown after they are given. */
  secretKeys: string[];
  hasSecrets: boolean;
  declared: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Opens the sealed secrets only to list their names. */
export function channelView(ctx: { readonly secrets: SecretBox }, row: ChannelRow): ChannelView {
  const secretKeys = Object.keys(openChannelSecrets(ctx, row)).sort();
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    kind: row.kind,
    config: JSON.parse(row.config) as Record<string, unknown>,
    secretKeys,
    hasSecrets: secretKeys.length > 0,
    declared: Boolean(row.declared),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}
