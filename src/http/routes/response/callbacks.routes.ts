import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actOnToken } from '../../../response/actions/act.ts';
import { actOnSlackButton, actOnSmsReply } from '../../../response/actions/inbound.ts';
import {
  parseSlackInteraction,
  SLACK_ACK_ACTION_ID,
  SLACK_RESOLVE_ACTION_ID,
  verifySlackRequest,
} from '../../../response/channels/slack-interaction.ts';
import {
  parseSmsReply,
  parseVoiceDigits,
  twimlMessage,
  twimlSay,
} from '../../../response/channels/twilio-inbound.ts';
import { verifyTwilioSignature } from '../../../response/channels/twilio-signature.ts';
import {
  parseTwilioStatusCallback,
  TWILIO_STATUS_CALLBACK_PATH,
} from '../../../response/channels/twilio-status.ts';
import { recordTwilioStatus } from '../../../response/notify/provider-status.ts';
import { AnyFormBody } from '../../../response/notify/schemas.ts';
import { AppError } from '../../../platform/errors.ts';
import { registerFormBody } from '../../plugins/form-body.ts';

const tags = ['callbacks'];
const XML = 'text/xml; charset=utf-8';

/** The URL Twilio requested, as Twilio saw it: the public URL plus the path and query. */
const publicRequestUrl = (req: FastifyRequest): string =>
  `${req.ctx.settings.publicUrl.replace(/\/$/, '')}${req.url}`;

function requireTwilio(req: FastifyRequest): void {
  const twilio = req.ctx.settings.notify.providers.twilio;
  if (!twilio) throw new AppError('not_found', 'Twilio is not configured on this server');
  const ok = verifyTwilioSignature({
    authToken: twilio.authToken,
    url: publicRequestUrl(req),
    params: (req.body ?? {}) as Record<string, string>,
    signature: req.headers['x-twilio-signature'] as string | undefined,
  });
  if (!ok) throw new AppError('forbidden', 'the X-Twilio-Signature does not match this request');
}

/**
 * Provider callbacks: Slack buttons, SMS replies and voice keypresses, and Twilio's delivery status reports. Each
 * is authenticated by the provider's own signature over the raw request. Buttons, replies and keypresses then act
 * as the person the notification reached, and the action lands on the incident's timeline with the channel it came
 * through; a status report lands on the delivery it is about.
 */
export async function callbackRoutes(app: FastifyInstance): Promise<void> {
  registerFormBody(app);
  app.post(
    '/api/v1/callbacks/slack',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Slack interactivity: Acknowledge/Resolve buttons (verified with the signing secret)',
        body: AnyFormBody,
        response: {
          200: Type.Object({
            response_type: Type.String(),
            text: Type.String(),
            replace_original: Type.Boolean(),
          }),
        },
      },
    },
    async (req) => {
      const secret = req.ctx.settings.notify.providers.slack?.signingSecret;
      if (!secret) throw new AppError('not_found', 'Slack interactivity is not configured on this server');
      const verdict = verifySlackRequest({
        signingSecret: secret,
        timestamp: req.headers['x-slack-request-timestamp'] as string | undefined,
        signature: req.headers['x-slack-signature'] as string | undefined,
        rawBody: req.rawBody ?? '',
        nowSeconds: Math.floor(req.ctx.clock.now() / 1000),
      });
      if (!verdict.ok) throw new AppError('unauthorized', `the Slack signature is ${verdict.reason}`);
      const interaction = parseSlackInteraction(req.rawBody ?? '');
      const reply = (text: string) => ({ response_type: 'ephemeral', text, replace_original: false });
      if (!interaction || ![SLACK_ACK_ACTION_ID, SLACK_RESOLVE_ACTION_ID].includes(interaction.actionId))
        return reply('Nothing to do.');
      const r = await actOnSlackButton(req.ctx, {
        token: interaction.value,
        slackUserId: interaction.slackUserId,
      });
      return reply(
        r.ok
          ? `Incident #${r.result.incident.number} is ${r.result.incident.status}.`
          : `Not done: ${r.message}`,
      );
    },
  );
  app.post(
    '/api/v1/callbacks/twilio/sms',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Twilio inbound SMS: "a 42" acknowledges, "r 42" resolves (verified with X-Twilio-Signature)',
        body: AnyFormBody,
        response: { 200: Type.String() },
      },
    },
    async (req, reply) => {
      requireTwilio(req);
      const body = req.body as Record<string, string>;
      const parsed = parseSmsReply(body.Body ?? '');
      reply.type(XML);
      if (!parsed) return twimlMessage('Reply "a 42" to acknowledge or "r 42" to resolve incident 42.');
      const r = await actOnSmsReply(req.ctx, { from: body.From ?? '', ...parsed });
      return twimlMessage(
        r.ok ? `Incident #${r.result.incident.number} is ${r.result.incident.status}.` : r.message,
      );
    },
  );
  app.post(
    '/api/v1/callbacks/twilio/voice',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Twilio voice keypress: 1 acknowledges, 2 resolves (verified with X-Twilio-Signature)',
        querystring: Type.Object({
          token: Type.Optional(Type.String()),
          rtoken: Type.Optional(Type.String()),
        }),
        body: AnyFormBody,
        response: { 200: Type.String() },
      },
    },
    async (req, reply) => {
      requireTwilio(req);
      reply.type(XML);
      const q = req.query as { token?: string; rtoken?: string };
      const action = parseVoiceDigits((req.body as Record<string, string>).Digits);
      const token = action === 'acknowledge' ? q.token : action === 'resolve' ? q.rtoken : undefined;
      if (!action || !token) return twimlSay('No action taken. Goodbye.');
      try {
        const r = await actOnToken(req.ctx, token, 'voice');
        return twimlSay(`Incident ${r.incident.number} is now ${r.incident.status}. Goodbye.`);
      } catch (err) {
        return twimlSay(`Nothing was changed: ${(err as Error).message}`);
      }
    },
  );
  app.post(
    TWILIO_STATUS_CALLBACK_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Twilio status callback: an SMS or call delivered, undelivered, busy, unanswered… (verified with X-Twilio-Signature)',
        querystring: Type.Object({ delivery: Type.Optional(Type.String({ maxLength: 64 })) }),
        body: AnyFormBody,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      requireTwilio(req);
      // Anything signed but not understood (another status callback, a status Siaga does not track) is
      // acknowledged and dropped: answering with an error would only make Twilio log it as a failed webhook.
      const report = parseTwilioStatusCallback((req.body ?? {}) as Record<string, string>);
      if (report)
        await recordTwilioStatus(req.ctx, {
          deliveryId: (req.query as { delivery?: string }).delivery,
          report,
        });
      return reply.status(204).send();
    },
  );
}
