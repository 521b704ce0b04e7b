import type { Settings } from '../settings.ts';
import type { OutboundPolicy } from './ssrf-policy.ts';

/** The operator's outbound policy, with Siaga's own address refused (a webhook to itself would loop). */
export const outboundPolicyOf = (settings: Settings): OutboundPolicy => ({
  ...settings.notify.outbound,
  selfUrl: settings.publicUrl,
});
