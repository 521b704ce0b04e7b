import type { EpochMs } from '../../platform/clock.ts';
import type { ChannelKind, DeliveryEvent, DeliveryKind } from '../../storage/schema.ts';

/** A due delivery as the pipeline sees it: what it is, where it goes, and the incident's state right now. */
export interface Outgoing {
  readonly id: string;
  readonly kind: DeliveryKind;
  readonly event: DeliveryEvent;
  readonly incidentId: string | null;
  /** The incident's status now (null without an incident: tests, verification codes, hand-off notices). */
  readonly incidentStatus: 'triggered' | 'acknowledged' | 'resolved' | null;
  readonly serviceId: string | null;
  readonly userId: string | null;
  /** 'cm:<contact method id>' or 'ch:<channel id>': the unit of throttling, ordering and dedup. */
  readonly destination: string;
  readonly channelKind: ChannelKind;
  readonly step: number | null;
  readonly round: number | null;
  readonly createdAt: EpochMs;
  readonly attempts: number;
}

export interface ThrottleLimit {
  readonly count: number;
  readonly windowMs: number;
}

export interface StageInput {
  readonly now: EpochMs;
  /** Services under an active maintenance window right now. */
  readonly mutedServiceIds: ReadonlySet<string>;
  /** Destinations (`cm:<id>`) of contact methods that expired: their push subscription is gone. */
  readonly expiredDestinations: ReadonlySet<string>;
  /** Per destination: the send times (epoch ms) of deliveries sent within the longest throttle window. */
  readonly recentSends: ReadonlyMap<string, readonly EpochMs[]>;
  /**
   * Per destination: keys `${incidentId}|${event}|${step}|${round}` of deliveries already sent (or being sent)
   * recently, for dedup across batches.
   */
  readonly recentKeys: ReadonlyMap<string, ReadonlySet<string>>;
  readonly limits: Readonly<Record<ChannelKind, ThrottleLimit>>;
}

/** A delivery the pipeline settles without sending. */
export interface Settled {
  readonly id: string;
  readonly status: 'suppressed' | 'bundled';
  readonly reason: string;
}

/** Several deliveries to one destination replaced by one summary message (the members are settled `bundled`). */
export interface Bundle {
  readonly destination: string;
  readonly channelKind: ChannelKind;
  readonly userId: string | null;
  readonly memberIds: readonly string[];
}

export interface StageResult {
  readonly keep: readonly Outgoing[];
  readonly settle: readonly Settled[];
  readonly defer: readonly { readonly id: string; readonly until: EpochMs }[];
  readonly bundles: readonly Bundle[];
}

export type Stage = (batch: readonly Outgoing[], input: StageInput) => StageResult;
