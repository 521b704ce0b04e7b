import type { ChannelKind } from '../../storage/schema.ts';

/**
 * Channels that get acknowledged/resolved updates after a page. SMS and voice do not: a second text or call for
 * something already handled wakes people for nothing.
 */
export const carriesStatusUpdates = (kind: ChannelKind): boolean => kind !== 'sms' && kind !== 'voice';
