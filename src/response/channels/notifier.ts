import type { EpochMs } from '../../platform/clock.ts';
import type { HttpSender } from '../../platform/net/outbound.ts';
import type { ChannelKind, DeliveryEvent, DeliveryKind } from '../../storage/schema.ts';

/**
 * The contract every notification channel implements. A notifier turns one message into one provider call; it
 * knows nothing of deliveries, retries or the database. Expected failures are returned as outcomes; a throw is a
 * bug (the dispatcher records it as a temporary failure).
 */
export type SendOutcome =
  | { readonly status: 'sent'; readonly providerMessageId?: string; readonly statusCode?: number }
  | {
      readonly status: 'failed_temporary';
      readonly reason: string;
      readonly retryAfterMs?: number;
      readonly statusCode?: number;
      /** The provider may have acted on the request although we got no answer (timeout after sending). */
      readonly maybeDelivered?: boolean;
    }
  | {
      readonly status: 'failed_permanent';
      readonly reason: string;
      readonly statusCode?: number;
      /**
       * The destination itself is gone, not just this message refused: a push service's 404/410 for a subscription
       * the browser dropped. Nothing later can reach it either, so a contact method with it expires (not paged
       * until its owner sets it up again).
       */
      readonly destinationGone?: boolean;
    };

export interface MessageIncident {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly severity: 'critical' | 'error' | 'warning' | 'info';
  readonly urgency: 'high' | 'low';
  readonly status: 'triggered' | 'acknowledged' | 'resolved';
  readonly serviceName: string;
  /** Link to the incident in Siaga's UI. */
  readonly url: string;
  readonly openedAt: EpochMs;
  readonly alertCount: number;
}

/** A one-click action: `url` for links (email, chat cards, push), `token` for buttons whose callback we verify. */
export interface MessageAction {
  readonly url: string;
  readonly token: string;
}

/** What a notifier sends. Text fields are plain text; each notifier escapes them for its own format. */
export interface OutboundMessage {
  /** The delivery id: the idempotency id every re-send carries (`Idempotency-Key`, `X-Webhook-Id`). */
  readonly id: string;
  readonly kind: DeliveryKind;
  readonly event: DeliveryEvent;
  /** One line, ≤ 150 characters: subject, SMS text, push title, chat headline. */
  readonly subject: string;
  /** Plain-text body, several lines. */
  readonly text: string;
  readonly incident?: MessageIncident;
  readonly actions?: { readonly acknowledge?: MessageAction; readonly resolve?: MessageAction };
  /** Bundled summary: the incidents this one message stands for. */
  readonly bundle?: { readonly count: number; readonly incidents: readonly MessageIncident[] };
  /** The person the message is for, when it goes to a person. */
  readonly recipient?: { readonly userId: string; readonly name: string };
  readonly createdAt: EpochMs;
}

/** Where a message goes: a contact method's address, or a shared channel's settings, with sealed parts opened. */
export interface Destination {
  readonly kind: ChannelKind;
  /** E-mail address, E.164 number, URL, chat id or topic; '' when everything is in `config`. */
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
}

export interface NotifierCapabilities {
  /** Worth sending acknowledged/resolved updates to (chat rooms, webhooks, email; not SMS or voice). */
  readonly statusUpdates: boolean;
  /** Can carry acknowledge/resolve actions (buttons, links, replies, keypress). */
  readonly interactiveAck: boolean;
  /** After a crash or timeout with an unknown outcome, send again (with the same id) rather than give up. */
  readonly resendWhenUnknown: boolean;
}

export interface SendContext {
  readonly http: HttpSender;
  readonly signal: AbortSignal;
  /** Milliseconds the provider call may take. */
  readonly timeoutMs: number;
  readonly now: EpochMs;
}

/** One problem with a destination's settings, for a 400 at creation: JSON pointer into the input and what is wrong. */
export interface DestinationProblem {
  readonly pointer: string;
  readonly detail: string;
}

export interface Notifier {
  readonly kind: ChannelKind;
  readonly capabilities: NotifierCapabilities;
  /** Checks an address/config/secrets at creation time (no network). Empty = fine. */
  check(dest: Destination): DestinationProblem[];
  /** Names of the `secrets` keys this kind needs (never returned by the API after creation). */
  readonly secretKeys: readonly string[];
  send(message: OutboundMessage, dest: Destination, ctx: SendContext): Promise<SendOutcome>;
}
