import type { FastifyInstance } from 'fastify';
import {
  acknowledgeAlert,
  acknowledgeIncident,
  getAlert,
  getIncident,
  listAlerts,
  listIncidents,
  parseMatchers,
  resolveAlert,
  resolveIncident,
  unacknowledgeIncident,
  type AlertFilter,
  type IncidentFilter,
} from '../../../alerting/index.ts';
import type { Access } from '../../plugins/auth.ts';
import * as S from './alerts.schemas.ts';

const read: Access = { minRole: 'stakeholder', scope: 'read' };
const act: Access = { minRole: 'responder', scope: 'write' };
type Id = { id: string };

/** Siaga's own alert and incident API: lists with filters, details, acknowledge and resolve. */
export async function alertRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['alerts'];
  app.get(
    '/api/v1/alerts',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Alerts, newest first, with filters',
        querystring: S.AlertQuery,
        response: { 200: S.AlertPage },
      },
    },
    async (req) => {
      const q = req.query as Omit<AlertFilter, 'matchers'> & { filter?: string[] };
      return listAlerts(req.ctx, { ...q, matchers: (q.filter ?? []).flatMap((f) => parseMatchers(f)) });
    },
  );
  app.get(
    '/api/v1/alerts/:id',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'One alert, with the payload it arrived with',
        params: S.IdParams,
        response: { 200: S.AlertDetail },
      },
    },
    async (req) => getAlert(req.ctx, (req.params as Id).id),
  );
  app.post(
    '/api/v1/alerts/:id/acknowledge',
    {
      config: { access: act },
      schema: {
        tags,
        summary: 'Acknowledge an alert',
        params: S.IdParams,
        body: S.Empty,
        response: { 200: S.AlertDetail },
      },
    },
    async (req) => acknowledgeAlert(req.ctx, (req.params as Id).id),
  );
  app.post(
    '/api/v1/alerts/:id/resolve',
    {
      config: { access: act },
      schema: {
        tags,
        summary: 'Resolve an alert',
        params: S.IdParams,
        body: S.Empty,
        response: { 200: S.AlertDetail },
      },
    },
    async (req) => resolveAlert(req.ctx, (req.params as Id).id),
  );

  const itags = ['incidents'];
  app.get(
    '/api/v1/incidents',
    {
      config: { access: read },
      schema: {
        tags: itags,
        summary: 'Incidents, newest first',
        querystring: S.IncidentQuery,
        response: { 200: S.IncidentPage },
      },
    },
    async (req) => listIncidents(req.ctx, req.query as IncidentFilter),
  );
  app.get(
    '/api/v1/incidents/:id',
    {
      config: { access: read },
      schema: {
        tags: itags,
        summary: 'An incident with its alerts, timeline and recent changes',
        params: S.IdParams,
        response: { 200: S.IncidentDetail },
      },
    },
    async (req) => getIncident(req.ctx, (req.params as Id).id),
  );
  app.post(
    '/api/v1/incidents/:id/acknowledge',
    {
      config: { access: act },
      schema: {
        tags: itags,
        summary: 'Acknowledge an incident',
        params: S.IdParams,
        body: S.Empty,
        response: { 200: S.Incident },
      },
    },
    async (req) => acknowledgeIncident(req.ctx, (req.params as Id).id),
  );
  app.post(
    '/api/v1/incidents/:id/resolve',
    {
      config: { access: act },
      schema: {
        tags: itags,
        summary: 'Resolve an incident and its open alerts',
        params: S.IdParams,
        body: S.Empty,
        response: { 200: S.Incident },
      },
    },
    async (req) => resolveIncident(req.ctx, (req.params as Id).id),
  );
  app.post(
    '/api/v1/incidents/:id/unacknowledge',
    {
      config: { access: act },
      schema: {
        tags: itags,
        summary: 'Un-acknowledge an incident: it triggers again and escalation restarts',
        params: S.IdParams,
        body: S.Empty,
        response: { 200: S.Incident },
      },
    },
    async (req) => unacknowledgeIncident(req.ctx, (req.params as Id).id),
  );
}
