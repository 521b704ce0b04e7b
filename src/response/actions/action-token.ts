import { DAY, type EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';

export type IncidentAction = 'acknowledge' | 'resolve';

const AAD = 'siaga.action-token.v1';
/** Long enough for a page read the next morning; short enough that an old e-mail is not a standing key. */
export const ACTION_TOKEN_TTL_MS = 7 * DAY;

interface Claims {
  /** Delivery id: identifies the person (or channel), the incident and the channel that carried the action. */
  readonly d: string;
  readonly a: IncidentAction;
  readonly e: EpochMs;
}

/**
 * A one-click action carried by a notification (e-mail link, chat button, push action, voice keypress). The token
 * is sealed with the server's secret key (authenticated encryption), so it cannot be forged or edited and says
 * nothing to whoever reads it; it is URL-safe as it is.
 */
export function actionToken(ctx: Ctx, deliveryId: string, action: IncidentAction): string {
  const now = ctx.clock.now();
  const claims: Claims = { d: deliveryId, a: action, e: (now + ACTION_TOKEN_TTL_MS) as EpochMs };
  return ctx.secrets.sealToken(JSON.stringify(claims), AAD, now);
}

/** The claims of a valid, unexpired token, or null. */
export function readActionToken(
  ctx: Ctx,
  token: string,
): { deliveryId: string; action: IncidentAction } | null {
  let claims: Claims;
  try {
    claims = JSON.parse(ctx.secrets.open(token, AAD)) as Claims;
  } catch {
    return null;
  }
  if (typeof claims.d !== 'string' || (claims.a !== 'acknowledge' && claims.a !== 'resolve')) return null;
  if (typeof claims.e !== 'number' || claims.e < ctx.clock.now()) return null;
  return { deliveryId: claims.d, action: claims.a };
}
