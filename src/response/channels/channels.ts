import { outboundPolicyOf } from '../../platform/net/outbound-policy.ts';
import { appendAudit, appendTeamObjectUpdate, requireRole } from '../../identity/index.ts';
import type { Role } from '../../platform/context.ts';
import { AppError, conflict, notFound, validationError, type FieldError } from '../../platform/errors.ts';
import { checkOutboundUrl } from '../../platform/net/ssrf-policy.ts';
import { isSecretKey } from '../../platform/secrets/index.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { CHANNEL_KINDS } from '../../storage/migrations/0006-response.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import { refuseWhileTargeted } from '../policies/refuse-targeted.ts';
import { refuseDeclared, requireTeamAdmin, teamExists, visibleTeamIds } from '../policies/team-access.ts';
import {
  channelNameTaken,
  deleteChannelRow,
  findChannelRow,
  findChannelRowByName,
  insertChannelRow,
  listChannelRows,
  openChannelSecrets,
  sealChannelSecrets,
  updateChannelRow,
  type ChannelRow,
} from './channels.repo.ts';
import { channelView, type ChannelView } from './channels-views.ts';
import type { Destination } from './notifier.ts';
import { destinationProblems } from './registry.ts';

export interface CreateChannelInput {
  name: string;
  teamId: string;
  kind: ChannelKind;
  /** Settings that may be shown (`address`: the e-mail address, number, chat id or topic, when the kind has one). */
  config?: Record<string, unknown>;
  /** Secret settings (webhook URLs with tokens, bot tokens): sealed, and never returned. */
  secrets?: Record<string, string>;
}

/**
 * The kind never changes; `config` is replaced whole when given. `secrets` is merged into the secrets the channel
 * has: a string sets that secret (added or replaced), `null` removes it, and secrets not named are kept, so one can
 * be rotated without typing the others again (they are never shown). `secrets: {}` changes none.
 */
export interface UpdateChannelInput {
  name?: string;
  teamId?: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, string | null>;
}

/** Settings are small, and the row is read for every message sent to the channel. */
export const MAX_CHANNEL_CONFIG_BYTES = 16 * 1024;
export const MAX_CHANNEL_SECRETS = 20;
export const MAX_CHANNEL_SECRET_LENGTH = 8192;
const SECRET_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Settings that hold a URL the channel will call, wherever they are given. */
const URL_KEYS = ['webhookUrl', 'url', 'address'] as const;

/**
 * The operator's rule on which addresses outgoing requests may reach (src/platform/net/ssrf-policy.ts), from the
 * notify settings. Refusing here gives a 400 at creation instead of a delivery that fails at 3 a.m.
 */
function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw validationError('a channel name has 1 to 100 characters', [
      { pointer: '/name', detail: 'must have 1 to 100 characters (not counting surrounding spaces)' },
    ]);
  return trimmed;
}

function checkKind(kind: string): ChannelKind {
  if (!(CHANNEL_KINDS as readonly string[]).includes(kind))
    throw validationError(`unknown channel kind ${kind}`, [
      { pointer: '/kind', detail: `must be one of ${CHANNEL_KINDS.join(', ')}` },
    ]);
  return kind as ChannelKind;
}

function checkConfig(config: Record<string, unknown> | undefined): Record<string, unknown> {
  if (config === undefined) return {};
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw validationError('the config must be an object', [
      { pointer: '/config', detail: 'must be an object' },
    ]);
  if (Buffer.byteLength(JSON.stringify(config), 'utf8') > MAX_CHANNEL_CONFIG_BYTES)
    throw validationError(`the config is larger than ${MAX_CHANNEL_CONFIG_BYTES / 1024} KiB`, [
      { pointer: '/config', detail: `must be at most ${MAX_CHANNEL_CONFIG_BYTES} bytes of JSON` },
    ]);
  // The config is shown to every member of the team and kept in the audit log: a token there would leak.
  const errors: FieldError[] = Object.keys(config)
    .filter((k) => isSecretKey(k))
    .map((k) => ({
      pointer: `/config/${k}`,
      detail: 'looks like a secret: give it under secrets, which are sealed and never shown again',
    }));
  if (config['address'] !== undefined && typeof config['address'] !== 'string')
    errors.push({ pointer: '/config/address', detail: 'must be a string' });
  if (errors.length > 0) throw validationError('the channel config is not valid', errors);
  return config;
}

function checkSecrets(secrets: Record<string, string> | undefined): Record<string, string> {
  // Without removals allowed, every value that passes is a string.
  return checkSecretEntries(secrets, { removals: false }) as Record<string, string>;
}

/** A PATCH's secrets: values to set, or `null` to remove; the size of the merged result is checked after merging. */
function checkSecretsPatch(patch: Record<string, string | null>): Record<string, string | null> {
  return checkSecretEntries(patch, { removals: true });
}

function checkSecretEntries(
  secrets: Record<string, string | null> | undefined,
  opts: { removals: boolean },
): Record<string, string | null> {
  if (secrets === undefined) return {};
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))
    throw validationError('the secrets must be an object', [
      { pointer: '/secrets', detail: 'must be an object' },
    ]);
  const entries = Object.entries(secrets);
  const errors: FieldError[] = [];
  // A patch may name each secret twice over (remove all, add as many); the merged result is limited below.
  const most = opts.removals ? 2 * MAX_CHANNEL_SECRETS : MAX_CHANNEL_SECRETS;
  if (entries.length > most)
    errors.push({ pointer: '/secrets', detail: `must have at most ${most} entries` });
  for (const [k, v] of entries) {
    if (!SECRET_KEY.test(k))
      errors.push({
        pointer: `/secrets/${k}`,
        detail: 'the name must be letters, digits and _ (64 at most)',
      });
    else if (v === null && opts.removals) continue;
    else if (typeof v !== 'string' || v.length < 1 || v.length > MAX_CHANNEL_SECRET_LENGTH)
      errors.push({
        pointer: `/secrets/${k}`,
        detail: opts.removals
          ? `must be a string of 1 to ${MAX_CHANNEL_SECRET_LENGTH} characters, or null to remove it`
          : `must be a string of 1 to ${MAX_CHANNEL_SECRET_LENGTH} characters`,
      });
  }
  if (errors.length > 0) throw validationError('the channel secrets are not valid', errors);
  return { ...secrets };
}

/** Which secrets a merge changed, by name only: the audit log never sees a value. */
interface SecretChanges {
  readonly added: string[];
  readonly replaced: string[];
  readonly removed: string[];
}

/** The channel's secrets with a PATCH's merged in, and what changed; a value set to itself is no change. */
function mergeSecrets(
  current: Readonly<Record<string, string>>,
  patch: Readonly<Record<string, string | null>>,
): { merged: Record<string, string>; changes: SecretChanges } {
  const merged: Record<string, string> = { ...current };
  const changes: SecretChanges = { added: [], replaced: [], removed: [] };
  for (const [key, value] of Object.entries(patch).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const had = Object.hasOwn(current, key);
    if (value === null) {
      if (!had) continue;
      delete merged[key];
      changes.removed.push(key);
    } else if (!had) {
      merged[key] = value;
      changes.added.push(key);
    } else if (current[key] !== value) {
      merged[key] = value;
      changes.replaced.push(key);
    }
  }
  if (Object.keys(merged).length > MAX_CHANNEL_SECRETS)
    throw validationError(`a channel has at most ${MAX_CHANNEL_SECRETS} secrets`, [
      {
        pointer: '/secrets',
        detail: `must leave the channel at most ${MAX_CHANNEL_SECRETS} secrets (it would have ${Object.keys(merged).length})`,
      },
    ]);
  return { merged, changes };
}

const secretChangeDetails = (c: SecretChanges): string[] =>
  (
    [
      ['added', c.added],
      ['replaced', c.replaced],
      ['removed', c.removed],
    ] as const
  )
    .filter(([, keys]) => keys.length > 0)
    .map(([what, keys]) => `secrets ${what}: ${keys.join(', ')}`);

const looksLikeUrl = (v: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(v.trim());

/**
 * The destination's problems without the network: the kind's own checks (registry), then every URL the channel
 * would call against the outbound policy. Details never quote a secret's value.
 */
function checkDestination(
  ctx: Ctx,
  kind: ChannelKind,
  config: Record<string, unknown>,
  secrets: Record<string, string>,
): void {
  const address = typeof config['address'] === 'string' ? config['address'] : '';
  const dest: Destination = { kind, address, config, secrets };
  // A kind's checker speaks of `/address`; for a channel the address lives in its config.
  const errors: FieldError[] = destinationProblems(dest).map((p) => ({
    pointer: p.pointer.startsWith('/address') ? `/config${p.pointer}` : p.pointer,
    detail: p.detail,
  }));
  const policy = outboundPolicyOf(ctx.settings);
  for (const [where, values] of [
    ['config', config],
    ['secrets', secrets],
  ] as const)
    for (const key of URL_KEYS) {
      const value = values[key];
      if (typeof value !== 'string' || value.trim() === '') continue;
      if (key === 'address' && !looksLikeUrl(value)) continue;
      const problem = checkOutboundUrl(policy, value.trim());
      const pointer = `/${where}/${key}`;
      if (problem !== null && !errors.some((e) => e.pointer === pointer))
        errors.push({ pointer, detail: problem });
    }
  if (errors.length > 0) throw validationError(`the ${kind} channel's settings are not valid`, errors);
}

/** The channel, if the actor holds at least `min` in its team; 404 when they cannot see it at all. */
async function channelFor(ctx: Ctx, id: string, min: Role): Promise<ChannelRow> {
  const row = await findChannelRow(ctx.db, id);
  if (!row) throw notFound('channel', id);
  requireRole(ctx, min, { teamId: row.team_id, entity: 'channel', id });
  return row;
}

async function checkTeam(ctx: Ctx, teamId: string): Promise<void> {
  if (!(await teamExists(ctx.db, teamId)))
    throw validationError(`team ${teamId} does not exist`, [{ pointer: '/teamId', detail: 'is not a team' }]);
}

async function checkNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  if (await channelNameTaken(ctx.db, name, exceptId))
    throw conflict(`a channel named ${name} already exists`, { name });
}

/** Channels of the teams the actor belongs to (every team's, for global admins), by name. */
export async function listChannels(ctx: Ctx, filter: { teamId?: string } = {}): Promise<ChannelView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (filter.teamId !== undefined) {
    requireRole(ctx, 'stakeholder', { teamId: filter.teamId, entity: 'team', id: filter.teamId });
    return (await listChannelRows(ctx.db, [filter.teamId])).map((r) => channelView(ctx, r));
  }
  return (await listChannelRows(ctx.db, await visibleTeamIds(ctx))).map((r) => channelView(ctx, r));
}

export async function getChannel(ctx: Ctx, id: string): Promise<ChannelView> {
  return channelView(ctx, await channelFor(ctx, id, 'stakeholder'));
}

const secretsDetail = (secrets: Record<string, string>): string =>
  `secrets set: ${Object.keys(secrets).sort().join(', ')}`;

/** Team admins add channels to their team (global admins to any team). */
export async function createChannel(ctx: Ctx, input: CreateChannelInput): Promise<ChannelView> {
  requireTeamAdmin(ctx, input.teamId);
  const name = checkName(input.name);
  const kind = checkKind(input.kind);
  const config = checkConfig(input.config);
  const secrets = checkSecrets(input.secrets);
  checkDestination(ctx, kind, config, secrets);
  return inTx(
    ctx,
    async (tx) => {
      await checkTeam(tx, input.teamId);
      await checkNameFree(tx, name);
      const now = tx.clock.now();
      const id = tx.ids.next('chn');
      const row: ChannelRow = {
        id,
        team_id: input.teamId,
        name,
        kind,
        config: JSON.stringify(config),
        secrets: sealChannelSecrets(tx, id, secrets),
        declared: false,
        created_at: now,
        updated_at: now,
      };
      await insertChannelRow(tx.db, row);
      const after = channelView(tx, row);
      await appendAudit(tx, {
        action: 'channel.created',
        object: { type: 'channel', id },
        teamId: row.team_id,
        after,
        ...(Object.keys(secrets).length > 0 ? { detail: secretsDetail(secrets) } : {}),
      });
      return after;
    },
    // A concurrent create of the same name fails the insert; run again, the name check then answers 409.
    { retryOnUniqueViolation: true },
  );
}

export async function updateChannel(ctx: Ctx, id: string, patch: UpdateChannelInput): Promise<ChannelView> {
  const name = patch.name === undefined ? undefined : checkName(patch.name);
  const config = patch.config === undefined ? undefined : checkConfig(patch.config);
  const secretsPatch = patch.secrets === undefined ? undefined : checkSecretsPatch(patch.secrets);
  return inTx(
    ctx,
    async (tx) => {
      const before = await channelFor(tx, id, 'admin');
      refuseDeclared(before, 'channel');
      if (patch.teamId !== undefined && patch.teamId !== before.team_id) {
        requireTeamAdmin(tx, patch.teamId);
        await checkTeam(tx, patch.teamId);
      }
      if (name !== undefined && name !== before.name) await checkNameFree(tx, name, id);
      // Opened (decrypted) only when settings or secrets change: a rename or a team move needs neither.
      const currentSecrets =
        config === undefined && secretsPatch === undefined ? undefined : openChannelSecrets(tx, before);
      const merge =
        secretsPatch === undefined || currentSecrets === undefined
          ? undefined
          : mergeSecrets(currentSecrets, secretsPatch);
      const secretChanges = merge ? secretChangeDetails(merge.changes) : [];
      // The whole destination is checked again: new settings must still work with the secrets kept, and back; a
      // secret the kind needs cannot be removed (its pointer says which).
      const nextConfig = config ?? (JSON.parse(before.config) as Record<string, unknown>);
      if (currentSecrets !== undefined && (config !== undefined || secretChanges.length > 0))
        checkDestination(tx, before.kind, nextConfig, merge?.merged ?? currentSecrets);
      const after: ChannelRow = {
        ...before,
        name: name ?? before.name,
        team_id: patch.teamId ?? before.team_id,
        config: config === undefined ? before.config : JSON.stringify(config),
        secrets:
          merge && secretChanges.length > 0 ? sealChannelSecrets(tx, id, merge.merged) : before.secrets,
        updated_at: tx.clock.now(),
      };
      const { id: _id, created_at: _created, declared: _declared, kind: _kind, ...changes } = after;
      await updateChannelRow(tx.db, id, changes);
      const result = channelView(tx, after);
      await appendTeamObjectUpdate(tx, {
        action: 'channel.updated',
        object: { type: 'channel', id },
        teamBefore: before.team_id,
        teamAfter: after.team_id,
        before: channelView(tx, before),
        after: result,
        details: secretChanges,
      });
      return result;
    },
    { retryOnUniqueViolation: true },
  );
}

/** Refused while an escalation policy pages the channel: the step would silently lose a target. */
export async function deleteChannel(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const before = await channelFor(tx, id, 'admin');
    refuseDeclared(before, 'channel');
    await refuseWhileTargeted(tx, { type: 'channel', id }, `channel ${before.name}`);
    const view = channelView(tx, before);
    await deleteChannelRow(tx.db, id);
    await appendAudit(tx, {
      action: 'channel.deleted',
      object: { type: 'channel', id },
      teamId: before.team_id,
      before: view,
    });
  });
}

/** Where a message to the channel goes, secrets opened: for the dispatcher. Null when the channel is gone. */
export async function channelDestination(ctx: Ctx, channelId: string): Promise<Destination | null> {
  const row = await findChannelRow(ctx.db, channelId);
  if (!row) return null;
  const config = JSON.parse(row.config) as Record<string, unknown>;
  return {
    kind: row.kind,
    address: typeof config['address'] === 'string' ? config['address'] : '',
    config,
    secrets: openChannelSecrets(ctx, row),
  };
}

/** A channel declared in the YAML config file, its secrets already read from the environment or files. */
export interface DeclaredChannelInput {
  readonly name: string;
  readonly teamId: string;
  readonly kind: ChannelKind;
  readonly config: Record<string, unknown>;
  readonly secrets: Record<string, string>;
}

/**
 * Creates or updates the declared channel of that name (one made through the API is taken over) with the same
 * checks as the API. Nothing is written when nothing changed, so a restart with the same file changes nothing.
 */
export async function applyDeclaredChannel(
  ctx: Ctx,
  spec: DeclaredChannelInput,
): Promise<{ id: string; name: string }> {
  const name = checkName(spec.name);
  const kind = checkKind(spec.kind);
  const config = checkConfig(spec.config);
  const secrets = checkSecrets(spec.secrets);
  checkDestination(ctx, kind, config, secrets);
  const now = ctx.clock.now();
  const existing = await findChannelRowByName(ctx.db, name);
  if (!existing) {
    const id = ctx.ids.next('chn');
    await insertChannelRow(ctx.db, {
      id,
      team_id: spec.teamId,
      name,
      kind,
      config: JSON.stringify(config),
      secrets: sealChannelSecrets(ctx, id, secrets),
      declared: true,
      created_at: now,
      updated_at: now,
    });
    return { id, name };
  }
  const same =
    Boolean(existing.declared) &&
    existing.team_id === spec.teamId &&
    existing.kind === kind &&
    existing.config === JSON.stringify(config) &&
    JSON.stringify(sorted(openChannelSecrets(ctx, existing))) === JSON.stringify(sorted(secrets));
  if (!same)
    await updateChannelRow(ctx.db, existing.id, {
      team_id: spec.teamId,
      kind,
      config: JSON.stringify(config),
      secrets: sealChannelSecrets(ctx, existing.id, secrets),
      declared: true,
      updated_at: now,
    });
  return { id: existing.id, name };
}

const sorted = (o: Record<string, string>): [string, string][] =>
  Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Channels the file no longer declares: kept (policies may page them) and handed over to the API. */
export async function releaseUndeclaredChannels(
  ctx: Ctx,
  declaredNames: readonly string[],
): Promise<string[]> {
  let q = ctx.db.selectFrom('channels').select(['id', 'name']).where('declared', '=', true).orderBy('name');
  if (declaredNames.length > 0) q = q.where('name', 'not in', [...declaredNames]);
  const released = await q.execute();
  for (const r of released)
    await updateChannelRow(ctx.db, r.id, { declared: false, updated_at: ctx.clock.now() });
  return released.map((r) => r.name);
}
