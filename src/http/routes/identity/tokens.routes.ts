import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  createApiToken,
  IdentitySchemas as S,
  listApiTokens,
  revokeApiToken,
  type CreateApiTokenInput,
} from '../../../identity/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['tokens'];
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'stakeholder', scope: 'write' };

export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/tokens',
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          'Your personal tokens and the service tokens of teams you administer; with teamId, that team’s service tokens',
        querystring: S.ListTokensQuery,
        response: { 200: Type.Array(S.ApiTokenView) },
      },
    },
    async (req) => listApiTokens(req.ctx, req.query as { teamId?: string }),
  );
  app.post(
    '/api/v1/tokens',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Create an API token; the token is shown once',
        body: S.CreateApiTokenBody,
        response: { 201: S.CreatedApiToken },
      },
    },
    async (req, reply) => {
      const { token, view } = await createApiToken(req.ctx, req.body as CreateApiTokenInput);
      return reply.status(201).header('cache-control', 'no-store').send({ token, apiToken: view });
    },
  );
  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Revoke a token; it stops working on the next request',
        params: S.IdParams,
        response: { 200: S.ApiTokenView },
      },
    },
    async (req) => revokeApiToken(req.ctx, (req.params as { id: string }).id),
  );
}
