import { MINUTE } from '../../platform/clock.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import type { ThrottleLimit } from './pipeline-types.ts';

/**
 * Per-destination send limits (R-NOT-8). Whatever goes over a limit is bundled into one summary, never dropped,
 * so a limit trades message count for detail, not for lost pages.
 *
 * - sms 5 per 5 min: GoAlert uses 5 per 15 min, but after a storm the window is how long a *new* incident can wait
 *   for its SMS; 5 minutes keeps that inside a typical escalation step while still stopping a phone from buzzing
 *   a thousand times.
 * - voice 3 per 15 min: a call takes a minute or more to play and must be answered; more than three in a quarter
 *   hour only keeps the line busy (same as GoAlert).
 * - email, push, ntfy and chat 20 per minute: cheap to receive and read, and at or below what the providers
 *   tolerate for one conversation (Telegram: about 20 messages a minute to one group; Discord: 30 a minute per
 *   channel; Slack incoming webhooks: about 1 a second).
 * - webhook: no limit. The receiver is a machine that wants every event as it happens (Alertmanager does not
 *   throttle its webhooks either); holding events back would only make a storm arrive late. A receiver that
 *   cannot keep up answers 429 or 503, which is retried with back-off and `Retry-After`.
 */
const chat: ThrottleLimit = { count: 20, windowMs: MINUTE };

export const DEFAULT_THROTTLE_LIMITS: Readonly<Record<ChannelKind, ThrottleLimit>> = {
  sms: { count: 5, windowMs: 5 * MINUTE },
  voice: { count: 3, windowMs: 15 * MINUTE },
  email: chat,
  push: chat,
  slack: chat,
  teams: chat,
  discord: chat,
  mattermost: chat,
  telegram: chat,
  ntfy: chat,
  webhook: { count: Number.POSITIVE_INFINITY, windowMs: MINUTE },
};

/** The longest throttle window: how far back the dispatcher must load recent sends (`StageInput.recentSends`). */
export function recentWindowMs(limits: Readonly<Record<ChannelKind, ThrottleLimit>>): number {
  return Math.max(0, ...Object.values(limits).map((l) => l.windowMs));
}
