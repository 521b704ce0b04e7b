import type { EpochMs } from '../../platform/clock.ts';
import type { ChannelKind, ContactKind, Database } from '../../storage/schema.ts';

export type ContactMethodRow = Database['contact_methods'];
export type NotificationRuleRow = Database['notification_rules'];

export type { ContactKind };

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** A contact method's kind names where it is reached; the channel kind names the notifier that reaches it. */
const CHANNEL_OF: Readonly<Record<ContactKind, ChannelKind>> = {
  email: 'email',
  sms: 'sms',
  voice: 'voice',
  slack_dm: 'slack',
  telegram: 'telegram',
  ntfy: 'ntfy',
  webhook: 'webhook',
  push: 'push',
};

export const channelKindOf = (kind: ContactKind): ChannelKind => CHANNEL_OF[kind];

/** Every contact kind (the record above is total over the table's CHECK list, so this is that list). */
export const CONTACT_KINDS = Object.keys(CHANNEL_OF) as readonly ContactKind[];

/** How long a verification code is good for, and how many wrong guesses it takes before a new one is needed. */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
/** Bounds that keep one person's lists small enough to read whole (and stop a runaway script). */
export const MAX_CONTACT_METHODS_PER_USER = 20;
export const MAX_RULES_PER_USER = 50;
export const MAX_DELAY_MINUTES = 240;

/** A contact method as the domain sees it; its sealed secrets stay in the row and never leave this module's views. */
export interface ContactMethod {
  readonly id: string;
  readonly userId: string;
  readonly kind: ContactKind;
  readonly name: string;
  readonly address: string;
  readonly hasSecrets: boolean;
  readonly verifiedAt: EpochMs | null;
  /** A code is outstanding (sent, not yet entered right). */
  readonly codePending: boolean;
  readonly codeExpiresAt: EpochMs | null;
  readonly codeAttempts: number;
  readonly disabledAt: EpochMs | null;
  /** The provider said the destination is gone (a push subscription the push service dropped). */
  readonly expiredAt: EpochMs | null;
  readonly expiredReason: string | null;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

export function toContactMethod(row: ContactMethodRow): ContactMethod {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    name: row.name,
    address: row.address,
    hasSecrets: row.secrets !== null,
    verifiedAt: row.verified_at,
    codePending: row.verification_hash !== null,
    codeExpiresAt: row.verification_expires_at,
    codeAttempts: row.verification_attempts,
    disabledAt: row.disabled_at,
    expiredAt: row.expired_at,
    expiredReason: row.expired_at === null ? null : row.expired_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Reachable for pages: verified, not switched off, and not expired (its destination still exists). */
export const isActive = (
  row: Pick<ContactMethodRow, 'verified_at' | 'disabled_at' | 'expired_at'>,
): boolean => row.verified_at !== null && row.disabled_at === null && row.expired_at === null;
