import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Access } from '../../plugins/auth.ts';

/** Anyone signed in may subscribe a browser of their own, so anyone signed in may read the public key. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };

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
}
