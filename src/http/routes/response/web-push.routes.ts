import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  PeopleSchemas as S,
  renewPushSubscription,
  type RenewPushSubscriptionInput,
} from '../../../response/people/index.ts';
import type { Access } from '../../plugins/auth.ts';

/** Anyone signed in may subscribe a browser of their own, so anyone signed in may read the public key. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
/** ...and renew it: the verb keeps the caller to their own push methods. */
const write: Access = { minRole: 'stakeholder', scope: 'write' };

const WebPushSetup = Type.Object({
  enabled: Type.Boolean({ description: 'the operator configured VAPID keys, so push contact methods work' }),
  publicKey: Type.Union([Type.String(), Type.Null()], {
    description:
      'the VAPID public key (base64url) to pass to pushManager.subscribe as applicationServerKey; null when disabled',
  }),
});

/**
 * What a browser needs to subscribe to Web Push: whether push is on, and the operator's VAPID public key. The
 * private key stays in the server's configuration; only the public half is ever sent.
 */
export async function webPushRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/web-push',
    {
      config: { access: read },
      schema: {
        tags: ['people'],
        summary: 'Web Push on this server: enabled, and the VAPID public key browsers subscribe with',
        response: { 200: WebPushSetup },
      },
    },
    async (req) => {
      const vapid = req.ctx.settings.notify.providers.webPush;
      return { enabled: vapid !== undefined, publicKey: vapid?.publicKey ?? null };
    },
  );
  // Called by the service worker (web/public/sw.js) when the browser renewed or replaced its subscription.
  app.post(
    '/api/v1/me/push-subscriptions/renew',
    {
      config: { access: write },
      schema: {
        tags: ['people'],
        summary:
          'Point your push contact method at the browser’s new subscription (pushsubscriptionchange); it stays verified',
        body: S.RenewPushSubscriptionBody,
        response: { 200: S.ContactMethodView },
      },
    },
    async (req) => renewPushSubscription(req.ctx, req.body as RenewPushSubscriptionInput),
  );
}
