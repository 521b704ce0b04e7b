/**
 * People and their rules: contact methods (each verified with a code before anything but that code is sent to it)
 * and notification rules per urgency. The escalation engine asks `notificationPlan` whom to page how; the
 * dispatcher asks `contactDestination` where a delivery goes and `verificationCodeOf` what a code delivery says, and
 * calls `expireContactMethod` when a provider says a method's destination is gone.
 */
export {
  listContactMethods,
  getContactMethod,
  createContactMethod,
  updateContactMethod,
  deleteContactMethod,
  setContactMethodDisabled,
  renewPushSubscription,
  type CreateContactMethodInput,
  type RenewPushSubscriptionInput,
  type UpdateContactMethodInput,
  type CreatedContactMethodView,
} from './contact-methods.ts';
export { verifyContactMethod, resendVerificationCode, CODE_LIMITS } from './verification.ts';
export {
  listNotificationRules,
  createNotificationRule,
  deleteNotificationRule,
  type CreateNotificationRuleInput,
} from './rules.ts';
export { getNotificationSetup } from './setup.ts';
export { expireContactMethod, expiredContactMethods, type ExpiredContactMethod } from './expiry.ts';
export { notificationPlan, contactDestination, type PlannedContact } from './plan.ts';
export { verificationCodeOf, CONTACT_METHOD_SECRETS, PEOPLE_SECRET_COLUMNS } from './secrets.ts';
export { selfId } from './access.ts';
export { checkAddress, type PushKeys } from './addresses.ts';
export {
  channelKindOf,
  CONTACT_KINDS,
  CODE_TTL_MS,
  MAX_CODE_ATTEMPTS,
  MAX_DELAY_MINUTES,
  type ContactKind,
  type Urgency,
} from './model.ts';
export type {
  ContactMethodView,
  NotificationRuleView,
  NotificationRulesView,
  NotificationSetupView,
  SetupWarning,
} from './views.ts';
export * as PeopleSchemas from './schemas.ts';
