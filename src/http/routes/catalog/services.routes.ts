import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  CatalogSchemas as S,
  createService,
  deleteService,
  getService,
  listServices,
  updateService,
  type CreateServiceInput,
  type UpdateServiceInput,
} from '../../../catalog/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['services'];
/** Reads and writes pass this gate; which team's services the caller may see or change is decided by the verbs. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'responder', scope: 'write' };
type IdParams = { id: string };

export async function serviceRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/services',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Services of your teams (every team’s, for admins)',
        querystring: S.ListServicesQuery,
        response: { 200: Type.Array(S.ServiceView) },
      },
    },
    async (req) => listServices(req.ctx, req.query as { teamId?: string }),
  );
  app.post(
    '/api/v1/services',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Create a service (admins of its team)',
        body: S.CreateServiceBody,
        response: { 201: S.ServiceView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createService(req.ctx, req.body as CreateServiceInput)),
  );
  app.get(
    '/api/v1/services/:id',
    {
      config: { access: read },
      schema: { tags, summary: 'One service', params: S.IdParams, response: { 200: S.ServiceView } },
    },
    async (req) => getService(req.ctx, (req.params as IdParams).id),
  );
  app.patch(
    '/api/v1/services/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Change a service (admins of its team); services declared in the config file are read-only',
        params: S.IdParams,
        body: S.UpdateServiceBody,
        response: { 200: S.ServiceView },
      },
    },
    async (req) => updateService(req.ctx, (req.params as IdParams).id, req.body as UpdateServiceInput),
  );
  app.delete(
    '/api/v1/services/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Delete a service and its integrations (admins of its team); refused while incidents are open',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteService(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
}
