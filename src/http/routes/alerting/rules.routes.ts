import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  createInhibitionRule,
  createMaintenanceWindow,
  createRoute,
  deleteInhibitionRule,
  deleteMaintenanceWindow,
  deleteRoute,
  dryRunRoutes,
  getInhibitionRule,
  getMaintenanceWindow,
  getRoute,
  listInhibitionRules,
  listMaintenanceWindows,
  listRoutes,
  reorderRoutes,
  updateInhibitionRule,
  updateMaintenanceWindow,
  updateRoute,
  type CreateRouteInput,
  type InhibitionRuleInput,
  type MaintenanceWindowInput,
  type UpdateRouteInput,
} from '../../../alerting/index.ts';
import type { Access } from '../../plugins/auth.ts';
import * as S from './rules.schemas.ts';

/** Global configuration: read by global observers, changed by global admins (the verbs check the global role). */
const globalRead: Access = { minRole: 'observer', scope: 'read' };
const globalAdmin: Access = { minRole: 'admin', scope: 'admin' };
/** Maintenance windows belong to a service's team (or, on labels only, need the global role): the verbs decide. */
const windowWrite: Access = { minRole: 'responder', scope: 'write' };
type Id = { id: string };

/** Routing rules (with a dry run), maintenance windows and inhibition rules. */
export async function ruleRoutes(app: FastifyInstance): Promise<void> {
  await app.register(routingRuleRoutes);
  await app.register(maintenanceWindowRoutes);
  await app.register(inhibitionRuleRoutes);
}

async function routingRuleRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['routes'];
  app.get(
    '/api/v1/routes',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary: 'Routing rules in evaluation order, the default route last (global observers)',
        response: { 200: Type.Array(S.RouteView) },
      },
    },
    async (req) => listRoutes(req.ctx),
  );
  app.post(
    '/api/v1/routes',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary: 'Add a routing rule, at a position or at the end (global admins)',
        body: S.CreateRouteBody,
        response: { 201: S.RouteView },
      },
    },
    async (req, reply) => reply.status(201).send(await createRoute(req.ctx, req.body as CreateRouteInput)),
  );
  app.post(
    '/api/v1/routes/reorder',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary: 'Set the order of every routing rule at once (global admins)',
        body: S.ReorderRoutesBody,
        response: { 200: Type.Array(S.RouteView) },
      },
    },
    async (req) => reorderRoutes(req.ctx, req.body as { ids: string[] }),
  );
  app.post(
    '/api/v1/routes/dry-run',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary:
          'Which rule takes an alert with these labels, and why; and what would mute it now (global observers)',
        body: S.DryRunBody,
        response: { 200: S.DryRunResult },
      },
    },
    async (req) => dryRunRoutes(req.ctx, req.body as { labels: Record<string, unknown> }),
  );
  app.get(
    '/api/v1/routes/:id',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary: 'One routing rule (global observers)',
        params: S.IdParams,
        response: { 200: S.RouteView },
      },
    },
    async (req) => getRoute(req.ctx, (req.params as Id).id),
  );
  app.patch(
    '/api/v1/routes/:id',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary:
          'Change or move a routing rule (global admins); rules declared in the config file are read-only',
        params: S.IdParams,
        body: S.UpdateRouteBody,
        response: { 200: S.RouteView },
      },
    },
    async (req) => updateRoute(req.ctx, (req.params as Id).id, req.body as UpdateRouteInput),
  );
  app.delete(
    '/api/v1/routes/:id',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary: 'Delete a routing rule (global admins); rules declared in the config file are read-only',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteRoute(req.ctx, (req.params as Id).id);
      return reply.status(204).send();
    },
  );
}

async function maintenanceWindowRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['maintenance-windows'];
  app.get(
    '/api/v1/maintenance-windows',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary:
          'Maintenance windows you may see: your teams’ services’, and label-only ones for global observers',
        response: { 200: Type.Array(S.WindowView) },
      },
    },
    async (req) => listMaintenanceWindows(req.ctx),
  );
  app.post(
    '/api/v1/maintenance-windows',
    {
      config: { access: windowWrite },
      schema: {
        tags,
        summary:
          'Plan a maintenance window (responders of the service’s team; global responders for label-only windows)',
        body: S.CreateWindowBody,
        response: { 201: S.WindowView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createMaintenanceWindow(req.ctx, req.body as MaintenanceWindowInput)),
  );
  app.get(
    '/api/v1/maintenance-windows/:id',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary: 'One maintenance window, whether it is active, and its next occurrences',
        params: S.IdParams,
        response: { 200: S.WindowView },
      },
    },
    async (req) => getMaintenanceWindow(req.ctx, (req.params as Id).id),
  );
  app.patch(
    '/api/v1/maintenance-windows/:id',
    {
      config: { access: windowWrite },
      schema: {
        tags,
        summary: 'Change a maintenance window (responders of the service’s team, on both sides of a move)',
        params: S.IdParams,
        body: S.UpdateWindowBody,
        response: { 200: S.WindowView },
      },
    },
    async (req) =>
      updateMaintenanceWindow(req.ctx, (req.params as Id).id, req.body as Partial<MaintenanceWindowInput>),
  );
  app.delete(
    '/api/v1/maintenance-windows/:id',
    {
      config: { access: windowWrite },
      schema: {
        tags,
        summary: 'Delete a maintenance window (responders of the service’s team)',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteMaintenanceWindow(req.ctx, (req.params as Id).id);
      return reply.status(204).send();
    },
  );
}

async function inhibitionRuleRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['inhibition-rules'];
  app.get(
    '/api/v1/inhibition-rules',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary: 'Inhibition rules (global observers)',
        response: { 200: Type.Array(S.InhibitionView) },
      },
    },
    async (req) => listInhibitionRules(req.ctx),
  );
  app.post(
    '/api/v1/inhibition-rules',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary: 'Add an inhibition rule (global admins)',
        body: S.CreateInhibitionBody,
        response: { 201: S.InhibitionView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createInhibitionRule(req.ctx, req.body as InhibitionRuleInput)),
  );
  app.get(
    '/api/v1/inhibition-rules/:id',
    {
      config: { access: globalRead },
      schema: {
        tags,
        summary: 'One inhibition rule (global observers)',
        params: S.IdParams,
        response: { 200: S.InhibitionView },
      },
    },
    async (req) => getInhibitionRule(req.ctx, (req.params as Id).id),
  );
  app.patch(
    '/api/v1/inhibition-rules/:id',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary: 'Change an inhibition rule (global admins); rules declared in the config file are read-only',
        params: S.IdParams,
        body: S.UpdateInhibitionBody,
        response: { 200: S.InhibitionView },
      },
    },
    async (req) =>
      updateInhibitionRule(req.ctx, (req.params as Id).id, req.body as Partial<InhibitionRuleInput>),
  );
  app.delete(
    '/api/v1/inhibition-rules/:id',
    {
      config: { access: globalAdmin },
      schema: {
        tags,
        summary: 'Delete an inhibition rule (global admins); rules declared in the config file are read-only',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteInhibitionRule(req.ctx, (req.params as Id).id);
      return reply.status(204).send();
    },
  );
}
