import type { Ctx } from '../../storage/index.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import type { Destination } from '../channels/notifier.ts';
import { findContactMethodRow } from './contact-methods.repo.ts';
import { channelKindOf, type ContactKind, type Urgency } from './model.ts';
import { planRows } from './rules.repo.ts';
import { openContactSecrets } from './secrets.ts';

export interface PlannedContact {
  readonly contactMethodId: string;
  readonly kind: ContactKind;
  /** The notifier that reaches the method (`slack_dm` → `slack`). */
  readonly channelKind: ChannelKind;
  /** Minutes after the person is paged. */
  readonly delayMinutes: number;
}

/**
 * How to page `userId` at `urgency`: one entry per rule on a verified, enabled method, soonest first (at equal
 * delay, in the order the methods were added). Empty for a deactivated person or one nobody can reach: the engine
 * reports that, it does not wait. No permission check: the engine pages as the system.
 */
export async function notificationPlan(
  ctx: Ctx,
  userId: string,
  urgency: Urgency,
): Promise<PlannedContact[]> {
  const user = await ctx.db.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirst();
  if (user?.status !== 'active') return [];
  return (await planRows(ctx.db, userId, urgency)).map((r) => ({
    contactMethodId: r.contact_method_id,
    kind: r.kind,
    channelKind: channelKindOf(r.kind),
    delayMinutes: r.delay_minutes,
  }));
}

/**
 * Where a delivery to a contact method goes, its sealed secrets opened (push keys, a webhook's signing secret):
 * for the dispatcher, outside any transaction. Null when the method is gone. Whether the method may be paged
 * (verified, enabled) was decided when the delivery was written; verification codes go to unverified methods.
 */
export async function contactDestination(ctx: Ctx, contactMethodId: string): Promise<Destination | null> {
  const row = await findContactMethodRow(ctx.db, contactMethodId);
  if (!row) return null;
  return {
    kind: channelKindOf(row.kind),
    address: row.address,
    config: { contactKind: row.kind, contactMethodId: row.id, userId: row.user_id },
    secrets: openContactSecrets(ctx, row),
  };
}
