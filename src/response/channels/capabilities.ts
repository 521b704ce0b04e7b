import type { ChannelKind } from '../../storage/schema.ts';
import type { NotifierCapabilities } from './notifier.ts';

const PERSON_OR_ROOM: NotifierCapabilities = {
  statusUpdates: true,
  interactiveAck: true,
  resendWhenUnknown: true,
};
/** A second text or call at 3 a.m. is worse than a lost one: no updates, and never sent twice on doubt. */
const PHONE: NotifierCapabilities = { statusUpdates: false, interactiveAck: true, resendWhenUnknown: false };

/**
 * What each channel kind can do, in one place: the notifiers declare these, and the planner (which runs in a job
 * without the notifiers) decides from them who gets acknowledged/resolved updates.
 */
export const CHANNEL_CAPABILITIES: Readonly<Record<ChannelKind, NotifierCapabilities>> = {
  email: PERSON_OR_ROOM,
  slack: PERSON_OR_ROOM,
  teams: PERSON_OR_ROOM,
  discord: PERSON_OR_ROOM,
  mattermost: PERSON_OR_ROOM,
  telegram: PERSON_OR_ROOM,
  ntfy: PERSON_OR_ROOM,
  push: PERSON_OR_ROOM,
  // Actions travel as links in the JSON for the receiver to offer; there is no button to press.
  webhook: { statusUpdates: true, interactiveAck: false, resendWhenUnknown: true },
  sms: PHONE,
  voice: PHONE,
};
