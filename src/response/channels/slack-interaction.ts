import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The Slack interactivity callback (`POST /api/v1/callbacks/slack`): a button click on a Siaga message. Slack
 * signs each request with the app's signing secret (v0 scheme): `X-Slack-Signature: v0=<hex HMAC-SHA256(secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`. The timestamp is inside the MAC and must be within
 * 5 minutes of now, so a captured click cannot be replayed later.
 */

export const SLACK_ACK_ACTION_ID = 'siaga_ack';
export const SLACK_RESOLVE_ACTION_ID = 'siaga_resolve';
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface VerifySlackRequestInput {
  readonly signingSecret: string;
  /** `X-Slack-Request-Timestamp` (unix seconds). */
  readonly timestamp: string | undefined;
  /** `X-Slack-Signature`. */
  readonly signature: string | undefined;
  /** The body exactly as received, before any form parsing. */
  readonly rawBody: Buffer | string;
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

export type VerifySlackResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

const SIGNATURE = /^v0=([0-9a-f]{64})$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Constant-time. The MAC is checked before the timestamp so that `stale` is reported only for authentic requests
 * (an old forgery is a `mismatch`), as for Siaga's own webhook signatures.
 */
export function verifySlackRequest(input: VerifySlackRequestInput): VerifySlackResult {
  const timestamp = input.timestamp?.trim();
  const signature = input.signature?.trim();
  if (!timestamp || !signature || input.signingSecret === '') return { ok: false, reason: 'missing' };
  const match = SIGNATURE.exec(signature);
  if (!match || !UNIX_SECONDS.test(timestamp)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(slackMac(input.signingSecret, timestamp, input.rawBody), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[1] ?? '', 'hex')))
    return { ok: false, reason: 'mismatch' };
  const tolerance = input.toleranceSeconds ?? SLACK_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - Number(timestamp)) > tolerance) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/** `v0=<hex>`: what Slack sends, for tests and the fake Slack server. */
export function signSlackRequest(
  signingSecret: string,
  timestamp: number | string,
  rawBody: Buffer | string,
): string {
  return `v0=${slackMac(signingSecret, String(timestamp), rawBody)}`;
}

function slackMac(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

export interface SlackInteraction {
  /** `siaga_ack` or `siaga_resolve` for Siaga's buttons; anything else is not ours to act on. */
  readonly actionId: string;
  /** The button's value: the action token Siaga put there. */
  readonly value: string;
  readonly slackUserId: string;
  readonly slackUserName: string;
  /** Where to post a reply that updates or follows the message ('' when Slack sent none). */
  readonly responseUrl: string;
  readonly teamId: string | null;
}

/**
 * The clicked button of a `block_actions` interaction, from the form body Slack posts (`payload=<JSON>`); null
 * for anything else (other interaction types, malformed bodies), which the route answers with a plain 200 so
 * Slack does not retry.
 */
export function parseSlackInteraction(rawFormBody: Buffer | string): SlackInteraction | null {
  const form = new URLSearchParams(
    typeof rawFormBody === 'string' ? rawFormBody : rawFormBody.toString('utf8'),
  );
  const payloadText = form.get('payload');
  if (!payloadText) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return null;
  }
  if (!isRecord(payload) || payload.type !== 'block_actions') return null;
  const action = Array.isArray(payload.actions) ? (payload.actions[0] as unknown) : undefined;
  const user = payload.user;
  if (!isRecord(action) || !isRecord(user)) return null;
  const actionId = action.action_id;
  const value = action.value;
  const userId = user.id;
  if (
    typeof actionId !== 'string' ||
    typeof value !== 'string' ||
    typeof userId !== 'string' ||
    userId === ''
  ) {
    return null;
  }
  const team = payload.team;
  return {
    actionId,
    value,
    slackUserId: userId,
    slackUserName: firstString(user.username, user.name) ?? '',
    responseUrl: firstString(payload.response_url) ?? '',
    teamId: isRecord(team) ? (firstString(team.id) ?? null) : (firstString(user.team_id) ?? null),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}
