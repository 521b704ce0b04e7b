import { redactSecrets } from '../platform/secrets/index.ts';
import type { Ctx } from '../storage/index.ts';
import { actorId, actorLabel } from './roles.ts';

export interface AuditInput {
  /** `noun.verb` in the past tense: `user.created`, `auth.login_failed`, `token.revoked`. */
  readonly action: string;
  readonly outcome?: 'success' | 'failure';
  readonly object?: { readonly type: string; readonly id: string };
  readonly teamId?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Free text for what has no structure (e.g. why a sign-in failed). */
  readonly detail?: string;
}

/**
 * Appends one audit entry in the caller's transaction, so the entry exists if and only if the change does.
 * The table is append-only at the database level (triggers refuse UPDATE and DELETE).
 */
export async function appendAudit(ctx: Ctx, input: AuditInput): Promise<void> {
  const toJson = (v: unknown) => (v === undefined ? null : JSON.stringify(redactSecrets(v)));
  await ctx.db
    .insertInto('audit_log')
    .values({
      id: ctx.ids.next('aud'),
      at: ctx.clock.now(),
      actor_kind: ctx.actor.kind,
      actor_id: actorId(ctx.actor),
      actor_label: actorLabel(ctx.actor),
      action: input.action,
      outcome: input.outcome ?? 'success',
      object_type: input.object?.type ?? null,
      object_id: input.object?.id ?? null,
      team_id: input.teamId ?? null,
      before: toJson(input.before),
      after: toJson(input.after),
      detail: input.detail ?? null,
      ip: ctx.origin?.ip ?? null,
      request_id: ctx.origin?.requestId ?? null,
    })
    .execute();
}

/**
 * The audit entry of an update to a team-owned object: filed under the team it belongs to now, and saying so when
 * the update moved it from another team (both teams' admins can then follow it).
 */
export async function appendTeamObjectUpdate(
  ctx: Ctx,
  input: {
    readonly action: string;
    readonly object: { readonly type: string; readonly id: string };
    readonly teamBefore: string | null;
    readonly teamAfter: string | null;
    readonly before: unknown;
    readonly after: unknown;
    readonly details?: readonly string[];
  },
): Promise<void> {
  const details = [
    ...(input.teamBefore === input.teamAfter || input.teamBefore === null
      ? []
      : [`moved from team ${input.teamBefore}`]),
    ...(input.details ?? []),
  ];
  await appendAudit(ctx, {
    action: input.action,
    object: input.object,
    teamId: input.teamAfter,
    before: input.before,
    after: input.after,
    ...(details.length > 0 ? { detail: details.join('; ') } : {}),
  });
}
