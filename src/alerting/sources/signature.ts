/**
 * Signed inbound webhooks: the scheme is shared with the outgoing webhook channel, so it lives in the kernel
 * (`src/platform/crypto/webhook-signature.ts`); this module keeps the names the alerting sources import.
 */
export {
  DEFAULT_SIGNATURE_TOLERANCE_MS,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
} from '../../platform/crypto/webhook-signature.ts';
