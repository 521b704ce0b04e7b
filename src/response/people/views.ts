import { toIso, toIsoOrNull } from '../../platform/clock.ts';
import {
  isActive,
  MAX_CODE_ATTEMPTS,
  toContactMethod,
  type ContactKind,
  type ContactMethod,
  type ContactMethodRow,
  type NotificationRuleRow,
  type Urgency,
} from './model.ts';

/** What the API shows. Never a method's sealed secrets (push keys, signing secret) nor anything of a code. */

export interface ContactMethodView {
  id: string;
  userId: string;
  kind: ContactKind;
  name: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  disabled: boolean;
  disabledAt: string | null;
  /**
   * The provider said the destination is gone (a push service dropped the browser's subscription): not paged until
   * it reaches somewhere again (a renewed or new subscription). `expiredReason` says what the provider answered.
   */
  expired: boolean;
  expiredAt: string | null;
  expiredReason: string | null;
  /** The outstanding code, while the method is not verified (null once it is). */
  verification: { codeSent: boolean; expiresAt: string | null; attemptsLeft: number } | null;
  createdAt: string;
  updatedAt: string;
}

export function toContactMethodView(m: ContactMethod): ContactMethodView {
  return {
    id: m.id,
    userId: m.userId,
    kind: m.kind,
    name: m.name,
    address: m.address,
    verified: m.verifiedAt !== null,
    verifiedAt: toIsoOrNull(m.verifiedAt),
    disabled: m.disabledAt !== null,
    disabledAt: toIsoOrNull(m.disabledAt),
    expired: m.expiredAt !== null,
    expiredAt: toIsoOrNull(m.expiredAt),
    expiredReason: m.expiredReason,
    verification:
      m.verifiedAt !== null
        ? null
        : {
            codeSent: m.codePending,
            expiresAt: m.codePending ? toIsoOrNull(m.codeExpiresAt) : null,
            attemptsLeft: m.codePending ? Math.max(0, MAX_CODE_ATTEMPTS - m.codeAttempts) : 0,
          },
    createdAt: toIso(m.createdAt),
    updatedAt: toIso(m.updatedAt),
  };
}

export const contactMethodView = (row: ContactMethodRow): ContactMethodView =>
  toContactMethodView(toContactMethod(row));

/** Addresses that are themselves capabilities (whoever knows them can post there) are cut to their host. */
const CAPABILITY_KINDS: ReadonlySet<ContactKind> = new Set(['webhook', 'push', 'ntfy']);

export function maskAddress(kind: ContactKind, address: string): string {
  if (!CAPABILITY_KINDS.has(kind)) return address;
  try {
    return `${new URL(address).origin}/…`;
  } catch {
    return '…';
  }
}

/** The audit log's picture of a method: no secrets, no code, and capability URLs cut to their host. */
export function contactMethodAudit(row: ContactMethodRow): Record<string, unknown> {
  return {
    kind: row.kind,
    name: row.name,
    address: maskAddress(row.kind, row.address),
    verified: row.verified_at !== null,
    disabled: row.disabled_at !== null,
    expired: row.expired_at !== null,
  };
}

export interface NotificationRuleView {
  id: string;
  contactMethodId: string;
  contactMethodKind: ContactKind;
  contactMethodName: string;
  urgency: Urgency;
  delayMinutes: number;
  /** The method is verified, not disabled and not expired, so this rule pages. */
  active: boolean;
  createdAt: string;
}

export interface NotificationRulesView {
  high: NotificationRuleView[];
  low: NotificationRuleView[];
}

export function toRuleView(rule: NotificationRuleRow, method: ContactMethodRow): NotificationRuleView {
  return {
    id: rule.id,
    contactMethodId: rule.contact_method_id,
    contactMethodKind: method.kind,
    contactMethodName: method.name,
    urgency: rule.urgency,
    delayMinutes: rule.delay_minutes,
    active: isActive(method),
    createdAt: toIso(rule.created_at),
  };
}

export interface SetupWarning {
  code:
    | 'no_verified_method'
    | 'no_immediate_high_urgency_rule'
    | 'single_method'
    | 'method_without_rule'
    | 'method_expired';
  message: string;
}

export interface NotificationSetupView {
  contactMethods: ContactMethodView[];
  rules: NotificationRulesView;
  warnings: SetupWarning[];
}
