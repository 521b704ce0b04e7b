import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  fingerprint,
  ingestAlertEvents,
  recordChangeEvent,
  SenderRateLimiter,
  Sources,
} from '../../../alerting/index.ts';
import { findIntegrationByKey, integrationActor, openSigningSecrets } from '../../../catalog/index.ts';
import { type EpochMs, MINUTE } from '../../../platform/clock.ts';
import { AppError, isAppError, notFound } from '../../../platform/errors.ts';
import type { Ctx } from '../../../storage/index.ts';
import type { Access } from '../../plugins/auth.ts';
import { sendProblem, toProblem } from '../../plugins/problem.ts';

/** Senders authenticate with the integration key in the path or body: the routes themselves are public. */
const keyed: Access = 'public';
const KeyParams = Type.Object({ key: Type.String({ maxLength: 128 }) });
const Accepted = Type.Object({
  status: Type.String(),
  message: Type.String(),
  dedup_key: Type.Optional(Type.String()),
});
const AcceptedV1 = Type.Object({
  status: Type.String(),
  message: Type.String(),
  incident_key: Type.String(),
});
const Received = Type.Object({ status: Type.String(), alerts: Type.Integer() });

/** The generic webhook's mapping when an integration has none: a body shaped like `{summary, severity, dedup_key, action}`. */
const DEFAULT_MAPPING = {
  summary: '/summary',
  severity: '/severity',
  dedupKey: '/dedup_key',
  action: '/action',
};

/** Signed webhooks: `X-Siaga-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-siaga-signature';

async function integrationFor(ctx: Ctx, key: string, kind: 'alertmanager' | 'pagerduty' | 'webhook') {
  const found = await findIntegrationByKey(ctx, key, [kind]);
  // The same answer for a malformed, unknown or other-kind key: nothing tells a guesser which it was.
  if (!found) throw notFound('integration', 'for this key');
  return found;
}

/**
 * The endpoints senders post to with an integration key: Alertmanager's webhook receiver, PagerDuty Events API v2
 * (alerts and change events) and the generic JSON webhook (mapped, optionally signed).
 */
export function senderRoutes(opts: { pagerDutyEventsPerMinute: number }) {
  const pdLimiter = new SenderRateLimiter(opts.pagerDutyEventsPerMinute, MINUTE);
  return async (app: FastifyInstance): Promise<void> => {
    app.post(
      '/integrations/alertmanager/:key',
      {
        config: { access: keyed },
        schema: {
          tags: ['senders'],
          summary: 'Alertmanager webhook receiver (payload version 4)',
          params: KeyParams,
          body: Sources.AmWebhookBody,
          response: { 200: Received },
        },
      },
      async (req) => {
        const ctx = req.ctx;
        const { integration, service } = await integrationFor(
          ctx,
          (req.params as { key: string }).key,
          'alertmanager',
        );
        const events = Sources.toAlertEventsFromAmWebhook(req.body, { now: ctx.clock.now(), fingerprint });
        await ingestAlertEvents(asIntegration(ctx, integration, service), {
          source: 'alertmanager_webhook',
          integration: { id: integration.id, serviceId: service.id },
          events,
        });
        return { status: 'success', alerts: events.length };
      },
    );

    // PagerDuty senders parse PagerDuty's error body, also for a body that is not JSON at all.
    await app.register(async (pd) => {
      pd.setErrorHandler((err, req, reply) => {
        const body = pagerDutyErrorBodyOf(err, req);
        if (body) return reply.status(400).type('application/json').send(body);
        return sendProblem(req, reply, toProblem(err, req));
      });
      const pdSchema = (summary: string) => ({
        tags: ['senders'],
        summary,
        body: Type.Unknown(),
        response: { 202: Accepted, 400: Sources.PagerDutyErrorResponse, 429: Sources.PagerDutyErrorResponse },
      });
      /**
       * Every PagerDuty endpoint: parse, find the key's integration, apply the per-key rate, then act. v2 answers
       * 202 and throttles with 429; v1 answers 200 and throttles with 403, which its clients retry.
       */
      const pagerDuty =
        <T extends { routingKey: string }>(
          parse: (ctx: Ctx, body: unknown) => T,
          act: (
            ctx: Ctx,
            parsed: T,
            found: Awaited<ReturnType<typeof pagerDutyIntegration>>,
          ) => Promise<object>,
          statuses: { ok: 200 | 202; throttled: 403 | 429 } = { ok: 202, throttled: 429 },
        ) =>
        async (req: FastifyRequest, reply: FastifyReply) => {
          const ctx = req.ctx;
          const parsed = parse(ctx, req.body);
          const found = await pagerDutyIntegration(ctx, parsed.routingKey);
          const wait = pdLimiter.take(found.integration.id, 1, ctx.clock.now());
          if (wait > 0) return rateLimited(reply, wait, statuses.throttled);
          return reply.status(statuses.ok).send(await act(ctx, parsed, found));
        };
      const triggerOrUpdate = async (
        ctx: Ctx,
        { event }: Sources.PagerDutyEnqueue,
        { integration, service }: Awaited<ReturnType<typeof pagerDutyIntegration>>,
      ) => {
        await ingestAlertEvents(asIntegration(ctx, integration, service), {
          source: 'pagerduty',
          integration: { id: integration.id, serviceId: service.id },
          events: [event],
        });
        return event.fingerprint;
      };

      pd.post(
        '/v2/enqueue',
        {
          config: { access: keyed },
          schema: pdSchema(
            'PagerDuty Events API v2: trigger, acknowledge or resolve (routing_key = integration key)',
          ),
        },
        pagerDuty(
          (ctx, body) =>
            Sources.parsePagerDutyEvent(body, {
              now: ctx.clock.now(),
              generateDedupKey: () => ctx.ids.next('dk'),
            }),
          async (ctx, parsed, found) => ({
            status: 'success',
            message: 'Event processed',
            dedup_key: await triggerOrUpdate(ctx, parsed, found),
          }),
        ),
      );

      pd.post(
        '/generic/2010-04-15/create_event.json',
        {
          config: { access: keyed },
          schema: {
            tags: ['senders'],
            summary:
              'PagerDuty Events API v1, as older monitoring plugins send it (service_key = integration key)',
            body: Type.Unknown(),
            response: {
              200: AcceptedV1,
              400: Sources.PagerDutyErrorResponse,
              403: Sources.PagerDutyErrorResponse,
            },
          },
        },
        pagerDuty(
          (ctx, body) =>
            Sources.parsePagerDutyV1Event(body, {
              now: ctx.clock.now(),
              generateDedupKey: () => ctx.ids.next('dk'),
            }),
          async (ctx, parsed, found) => ({
            status: 'success',
            message: 'Event processed',
            incident_key: await triggerOrUpdate(ctx, parsed, found),
          }),
          { ok: 200, throttled: 403 },
        ),
      );

      pd.post(
        '/v2/change/enqueue',
        {
          config: { access: keyed },
          schema: pdSchema('PagerDuty change events: deploys and changes shown on the service’s incidents'),
        },
        pagerDuty(
          (ctx, body) => Sources.parsePagerDutyChangeEvent(body, { now: ctx.clock.now() }),
          async (ctx, { change }, { integration, service }) => {
            await recordChangeEvent(ctx, { serviceId: service.id, integrationId: integration.id, change });
            return { status: 'success', message: 'Change event processed' };
          },
        ),
      );
    });

    app.post(
      '/integrations/webhook/:key',
      {
        config: { access: keyed },
        schema: {
          tags: ['senders'],
          summary:
            'Generic JSON webhook, mapped by the integration (JSON pointers or Liquid); optionally signed',
          params: KeyParams,
          body: Sources.GenericWebhookBody,
          response: { 202: Received },
        },
      },
      async (req, reply) => {
        const ctx = req.ctx;
        const { integration, service } = await integrationFor(
          ctx,
          (req.params as { key: string }).key,
          'webhook',
        );
        const nonce = verifySignature(ctx, req, integration);
        const mapping =
          (integration.config['mapping'] as Sources.GenericMapping | undefined) ?? DEFAULT_MAPPING;
        const events = Sources.toAlertEventsFromGeneric(req.body, mapping, {
          now: ctx.clock.now(),
          fingerprint,
          liquid: liquid(),
        });
        await ingestAlertEvents(asIntegration(ctx, integration, service), {
          source: 'webhook',
          integration: { id: integration.id, serviceId: service.id },
          events,
          nonce:
            nonce === undefined
              ? undefined
              : {
                  key: `${integration.id}:${nonce}`,
                  expiresAt: (ctx.clock.now() + SIGNATURE_WINDOW_MS) as EpochMs,
                },
        });
        return reply.status(202).send({ status: 'success', alerts: events.length });
      },
    );
  };
}

const SIGNATURE_WINDOW_MS = Sources.DEFAULT_SIGNATURE_TOLERANCE_MS;
let sharedLiquid: Sources.SandboxedLiquid | undefined;
const liquid = () => (sharedLiquid ??= Sources.createSandboxedLiquid());

/** An integration with signing secrets accepts only signed requests; returns the signature to record against replay. */
function verifySignature(
  ctx: Ctx,
  req: FastifyRequest,
  integration: Parameters<typeof openSigningSecrets>[1],
): string | undefined {
  const secrets = openSigningSecrets(ctx, integration);
  if (secrets.length === 0) return undefined;
  const header = req.headers[SIGNATURE_HEADER];
  const result = Sources.verifyWebhookSignature({
    rawBody: req.rawBody ?? Buffer.alloc(0),
    header: typeof header === 'string' ? header : undefined,
    secrets,
    now: ctx.clock.now(),
    toleranceMs: SIGNATURE_WINDOW_MS,
  });
  if (!result.ok) {
    const why = {
      missing: `this integration only accepts signed requests: send the ${SIGNATURE_HEADER} header`,
      malformed: `the ${SIGNATURE_HEADER} header is not t=<unix seconds>,v1=<hex HMAC-SHA256>`,
      stale: 'the signature timestamp is outside the 5-minute window; sign each request when you send it',
      mismatch:
        'the signature does not match the body (sign the exact bytes you send, with a current secret)',
    }[result.reason];
    req.log.warn({ integrationId: integration.id, reason: result.reason }, 'signed webhook refused');
    throw new AppError('unauthorized', why);
  }
  return result.nonce;
}

/** The sender acts as its integration: timeline entries say which integration raised or resolved an alert. */
const asIntegration = (
  ctx: Ctx,
  integration: { id: string; name: string },
  service: { id: string; teamId: string },
): Ctx => ({ ...ctx, actor: integrationActor({ integration, service }) });

async function pagerDutyIntegration(ctx: Ctx, routingKey: string) {
  const found = await findIntegrationByKey(ctx, routingKey, ['pagerduty']);
  if (!found)
    throw new AppError(
      'validation',
      'Event object is invalid: routing_key is not the key of a PagerDuty integration',
      {
        details: {
          pagerDuty: {
            status: 'invalid event',
            message: 'Event object is invalid',
            errors: ['Invalid routing key'],
          },
        },
      },
    );
  return found;
}

/**
 * PagerDuty senders parse PagerDuty's own error body (`{status, message, errors[]}`), so these routes answer every
 * 400 in that shape instead of problem+json — the deliberate exception documented in docs/operations/alerting.md.
 * Undefined for errors that are not the client's (they stay problem+json).
 */
function pagerDutyErrorBodyOf(err: unknown, req: FastifyRequest): Sources.PagerDutyErrorBody | undefined {
  const body = Sources.pagerDutyErrorBody(err);
  if (body) return body;
  const p = toProblem(err, req);
  if (p.status !== 400) return undefined;
  const listed = isAppError(err) ? (err.errors ?? []).map((e) => e.detail) : [];
  return {
    status: 'invalid event',
    message: 'Event object is invalid',
    errors:
      listed.length > 0 ? listed : [typeof p.detail === 'string' ? p.detail : 'the request is not valid'],
  };
}

function rateLimited(reply: FastifyReply, waitSeconds: number, status: 403 | 429 = 429): FastifyReply {
  return reply
    .status(status)
    .header('retry-after', String(waitSeconds))
    .type('application/json')
    .send({
      status: 'throttle event',
      message: 'Requests for this service are arriving too quickly. Please retry later.',
      errors: ['Too many requests'],
    });
}
