import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  CatalogSchemas as S,
  clearOldSigningSecret,
  createIntegration,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  rotateIntegrationKey,
  setIntegrationSigningSecret,
  updateIntegration,
  type CreateIntegrationInput,
  type UpdateIntegrationInput,
} from '../../../catalog/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['integrations'];
/** Reads and writes pass this gate; which team's integrations the caller may see or change is decided by the verbs. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'responder', scope: 'write' };
type IdParams = { id: string };

/** Responses that carry a key or a secret must not be kept by a browser or a proxy. */
const NO_STORE = 'no-store';

export async function integrationRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/services/:id/integrations',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'The integrations of a service (keys are never shown again)',
        params: S.IdParams,
        response: { 200: Type.Array(S.IntegrationView) },
      },
    },
    async (req) => listIntegrations(req.ctx, (req.params as IdParams).id),
  );
  app.post(
    '/api/v1/services/:id/integrations',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Add an integration (admins of the service’s team); the key and its URLs are shown once',
        params: S.IdParams,
        body: S.CreateIntegrationBody,
        response: { 201: S.IssuedIntegrationKey },
      },
    },
    async (req, reply) => {
      const body = req.body as Omit<CreateIntegrationInput, 'serviceId'>;
      const issued = await createIntegration(req.ctx, { ...body, serviceId: (req.params as IdParams).id });
      return reply.status(201).header('cache-control', NO_STORE).send(issued);
    },
  );
  app.get(
    '/api/v1/integrations/:id',
    {
      config: { access: read },
      schema: { tags, summary: 'One integration', params: S.IdParams, response: { 200: S.IntegrationView } },
    },
    async (req) => getIntegration(req.ctx, (req.params as IdParams).id),
  );
  app.patch(
    '/api/v1/integrations/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Rename an integration or change its settings (admins of the service’s team)',
        params: S.IdParams,
        body: S.UpdateIntegrationBody,
        response: { 200: S.IntegrationView },
      },
    },
    async (req) =>
      updateIntegration(req.ctx, (req.params as IdParams).id, req.body as UpdateIntegrationInput),
  );
  app.delete(
    '/api/v1/integrations/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Delete an integration; its key stops working at once',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteIntegration(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/v1/integrations/:id/rotate-key',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Replace the key; the old one stops working at once. The new key is shown once',
        params: S.IdParams,
        body: S.NoBody,
        response: { 200: S.IssuedIntegrationKey },
      },
    },
    async (req, reply) =>
      reply
        .header('cache-control', NO_STORE)
        .send(await rotateIntegrationKey(req.ctx, (req.params as IdParams).id)),
  );
  app.post(
    '/api/v1/integrations/:id/signing-secret',
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Add a new webhook signing secret; the previous one stays valid until cleared. The secret is shown once',
        params: S.IdParams,
        body: S.NoBody,
        response: { 200: S.IssuedSigningSecret },
      },
    },
    async (req, reply) =>
      reply
        .header('cache-control', NO_STORE)
        .send(await setIntegrationSigningSecret(req.ctx, (req.params as IdParams).id)),
  );
  app.delete(
    '/api/v1/integrations/:id/signing-secret/previous',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'End a signing-secret rotation: only the newest secret stays valid',
        params: S.IdParams,
        response: { 200: S.IntegrationView },
      },
    },
    async (req) => clearOldSigningSecret(req.ctx, (req.params as IdParams).id),
  );
}
