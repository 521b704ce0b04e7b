import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  createTeam,
  deleteTeam,
  getTeam,
  IdentitySchemas as S,
  listTeams,
  removeTeamMember,
  setTeamMember,
  updateTeam,
} from '../../../identity/index.ts';
import type { Role } from '../../../platform/context.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['teams'];
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const admin: Access = { minRole: 'admin', scope: 'admin' };
type IdParams = { id: string };
type MemberParams = { id: string; userId: string };

export async function teamRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/teams',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Teams you belong to (all, for admins)',
        response: { 200: Type.Array(S.TeamView) },
      },
    },
    async (req) => listTeams(req.ctx),
  );
  app.post(
    '/api/v1/teams',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Create a team (admins)',
        body: S.CreateTeamBody,
        response: { 201: S.TeamView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createTeam(req.ctx, req.body as { name: string; description?: string })),
  );
  app.get(
    '/api/v1/teams/:id',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'One team and its members',
        params: S.IdParams,
        response: { 200: S.TeamView },
      },
    },
    async (req) => getTeam(req.ctx, (req.params as IdParams).id),
  );
  app.patch(
    '/api/v1/teams/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Rename or describe a team (team admins)',
        params: S.IdParams,
        body: S.UpdateTeamBody,
        response: { 200: S.TeamView },
      },
    },
    async (req) =>
      updateTeam(req.ctx, (req.params as IdParams).id, req.body as { name?: string; description?: string }),
  );
  app.delete(
    '/api/v1/teams/:id',
    {
      config: { access: admin },
      schema: { tags, summary: 'Delete a team (admins)', params: S.IdParams, response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      await deleteTeam(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
  app.put(
    '/api/v1/teams/:id/members/:userId',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Add a member or change their team role (team admins)',
        params: S.TeamMemberParams,
        body: S.SetMemberBody,
        response: { 200: S.TeamView },
      },
    },
    async (req) => {
      const p = req.params as MemberParams;
      return setTeamMember(req.ctx, p.id, p.userId, (req.body as { role: Role }).role);
    },
  );
  app.delete(
    '/api/v1/teams/:id/members/:userId',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Remove a member (team admins)',
        params: S.TeamMemberParams,
        response: { 200: S.TeamView },
      },
    },
    async (req) => {
      const p = req.params as MemberParams;
      return removeTeamMember(req.ctx, p.id, p.userId);
    },
  );
}
