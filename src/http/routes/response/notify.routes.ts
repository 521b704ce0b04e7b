import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actOnToken } from '../../../response/actions/act.ts';
import {
  actionConfirmPage,
  actionDonePage,
  actionFailedPage,
} from '../../../response/actions/action-page.ts';
import { getDrill, listDrills, startDrill } from '../../../response/drills/drills.ts';
import { listIncidentDeliveries } from '../../../response/notify/delivery-log.ts';
import { getEscalation } from '../../../response/escalation/state.ts';
import * as S from '../../../response/notify/schemas.ts';
import { isAppError } from '../../../platform/errors.ts';
import { registerFormBody } from '../../plugins/form-body.ts';
import type { Access } from '../../plugins/auth.ts';

const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'responder', scope: 'write' };
type Id = { id: string };
type Token = { token: string };

const wantsHtml = (accept: string | undefined, contentType: string | undefined): boolean =>
  (contentType ?? '').startsWith('application/x-www-form-urlencoded') ||
  (!!accept && accept.includes('text/html'));

/** The delivery log, paging drills and one-click actions from notifications. */
export async function notifyRoutes(app: FastifyInstance): Promise<void> {
  registerFormBody(app);
  app.get(
    '/api/v1/incidents/:id/deliveries',
    {
      config: { access: read },
      schema: {
        tags: ['incidents'],
        summary:
          "The incident's delivery log: every notification, every attempt, outcome, latency and next retry",
        params: S.IdParams,
        response: { 200: Type.Array(S.Delivery) },
      },
    },
    async (req) => listIncidentDeliveries(req.ctx, (req.params as Id).id),
  );
  app.get(
    '/api/v1/incidents/:id/escalation',
    {
      config: { access: read },
      schema: {
        tags: ['incidents'],
        summary:
          "Where the incident's escalation stands: policy snapshot, step, round, next step (null: no policy)",
        params: S.IdParams,
        response: { 200: S.Escalation },
      },
    },
    async (req) => getEscalation(req.ctx, (req.params as Id).id),
  );
  app.post(
    '/api/v1/drills',
    {
      config: { access: write },
      schema: {
        tags: ['paging drills'],
        summary: 'Send a test page to a person or through a whole escalation policy, by the real path',
        body: S.StartDrillBody,
        response: { 201: S.Drill },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await startDrill(req.ctx, req.body as { userId?: string; policyId?: string })),
  );
  app.get(
    '/api/v1/drills',
    {
      config: { access: read },
      schema: {
        tags: ['paging drills'],
        summary: 'Latest drills of a person or a policy',
        querystring: S.ListDrillsQuery,
        response: { 200: Type.Array(S.Drill) },
      },
    },
    async (req) => listDrills(req.ctx, req.query as { userId?: string; policyId?: string }),
  );
  app.get(
    '/api/v1/drills/:id',
    {
      config: { access: read },
      schema: {
        tags: ['paging drills'],
        summary: 'One drill and its messages',
        params: S.IdParams,
        response: { 200: S.Drill },
      },
    },
    async (req) => getDrill(req.ctx, (req.params as Id).id),
  );
  app.get(
    '/api/v1/actions/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['actions'],
        summary:
          'The confirmation page a notification link opens (nothing changes until its button is pressed)',
        params: S.TokenParams,
        response: { 200: Type.String() },
      },
    },
    async (req, reply) => {
      const { status, html } = await actionConfirmPage(req.ctx, (req.params as Token).token);
      return reply
        .status(status as 200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(html);
    },
  );
  app.post(
    '/api/v1/actions/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['actions'],
        summary:
          'Acknowledge or resolve as the person a notification reached (HTML form, push action, ntfy button)',
        params: S.TokenParams,
        body: S.AnyFormBody,
        response: { 200: Type.Union([S.ActionResult, Type.String()]) },
      },
    },
    async (req, reply) => {
      const html = wantsHtml(req.headers.accept, req.headers['content-type']);
      const via =
        typeof (req.query as { via?: unknown }).via === 'string'
          ? String((req.query as { via: string }).via).slice(0, 32)
          : 'link';
      try {
        const r = await actOnToken(req.ctx, (req.params as Token).token, via);
        if (!html)
          return {
            action: r.action,
            incident: { id: r.incident.id, number: r.incident.number, status: r.incident.status },
          };
        return reply
          .type('text/html; charset=utf-8')
          .send(actionDonePage(r.action, r.incident.number, r.incident.status));
      } catch (err) {
        if (!html || !isAppError(err)) throw err;
        // An HTML failure page for a person at a browser; JSON callers get the usual problem+json from the throw.
        return reply
          .status(400 as 200)
          .type('text/html; charset=utf-8')
          .send(actionFailedPage(err.message));
      }
    },
  );
}
