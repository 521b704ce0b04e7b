import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  changePassword,
  createUser,
  getUser,
  IdentitySchemas as S,
  listUsers,
  setUserStatus,
  updateUser,
  type CreateUserInput,
  type UpdateUserInput,
} from '../../../identity/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['users'];
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const observe: Access = { minRole: 'observer', scope: 'read' };
const selfWrite: Access = { minRole: 'stakeholder', scope: 'write' };
const admin: Access = { minRole: 'admin', scope: 'admin' };
type IdParams = { id: string };

export async function userRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/users',
    {
      config: { access: observe },
      schema: {
        tags,
        summary: 'List people',
        querystring: S.ListUsersQuery,
        response: { 200: Type.Array(S.UserView) },
      },
    },
    async (req) => listUsers(req.ctx, req.query as { status?: 'active' | 'deactivated'; q?: string }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Create a user (admins)',
        body: S.CreateUserBody,
        response: { 201: S.UserView },
      },
    },
    async (req, reply) => reply.status(201).send(await createUser(req.ctx, req.body as CreateUserInput)),
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: read },
      schema: { tags, summary: 'The signed-in user', response: { 200: S.UserView } },
    },
    async (req) => getUser(req.ctx, req.ctx.actor.kind === 'user' ? req.ctx.actor.userId : ''),
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'One user (yourself, or anyone for observers and above)',
        params: S.IdParams,
        response: { 200: S.UserView },
      },
    },
    async (req) => getUser(req.ctx, (req.params as IdParams).id),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: selfWrite },
      schema: {
        tags,
        summary: 'Update a user (your own name, time zone and locale; admins anything)',
        params: S.IdParams,
        body: S.UpdateUserBody,
        response: { 200: S.UserView },
      },
    },
    async (req) => updateUser(req.ctx, (req.params as IdParams).id, req.body as UpdateUserInput),
  );

  app.put(
    '/api/v1/users/:id/password',
    {
      config: { access: selfWrite },
      schema: {
        tags,
        summary: 'Change a password (your own with the current one; admins anyone)',
        params: S.IdParams,
        body: S.ChangePasswordBody,
        response: { 200: S.Empty },
      },
    },
    async (req) => {
      const body = req.body as { newPassword: string; currentPassword?: string };
      await changePassword(req.ctx, {
        userId: (req.params as IdParams).id,
        ...body,
        ...(req.session ? { keepSessionId: req.session.id } : {}),
      });
      return {};
    },
  );

  for (const [verb, status] of [
    ['deactivate', 'deactivated'],
    ['reactivate', 'active'],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${verb}`,
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            verb === 'deactivate'
              ? 'Deactivate a user: sessions and tokens stop working at once'
              : 'Reactivate a user',
          params: S.IdParams,
          body: Type.Optional(S.Empty),
          response: { 200: S.UserView },
        },
      },
      async (req) => setUserStatus(req.ctx, (req.params as IdParams).id, status),
    );
  }
}
