import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as S from '../../../response/channels/channels-schemas.ts';
import {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  updateChannel,
  type CreateChannelInput,
  type UpdateChannelInput,
} from '../../../response/channels/channels.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['channels'];
/** Reads and writes pass this gate; which team's channels the caller may see or change is decided by the verbs. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'responder', scope: 'write' };
type IdParams = { id: string };

export async function channelRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/channels',
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          'Shared notification channels of your teams (every team’s, for admins); secrets by name only',
        querystring: S.ListChannelsQuery,
        response: { 200: Type.Array(S.ChannelView) },
      },
    },
    async (req) => listChannels(req.ctx, req.query as { teamId?: string }),
  );
  app.post(
    '/api/v1/channels',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Add a channel (admins of its team); its secrets are sealed and never shown again',
        body: S.CreateChannelBody,
        response: { 201: S.ChannelView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createChannel(req.ctx, req.body as CreateChannelInput)),
  );
  app.get(
    '/api/v1/channels/:id',
    {
      config: { access: read },
      schema: { tags, summary: 'One channel', params: S.IdParams, response: { 200: S.ChannelView } },
    },
    async (req) => getChannel(req.ctx, (req.params as IdParams).id),
  );
  app.patch(
    '/api/v1/channels/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Change a channel (admins of its team); secrets are merged: a string sets one, null removes it, others are kept',
        params: S.IdParams,
        body: S.UpdateChannelBody,
        response: { 200: S.ChannelView },
      },
    },
    async (req) => updateChannel(req.ctx, (req.params as IdParams).id, req.body as UpdateChannelInput),
  );
  app.delete(
    '/api/v1/channels/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Delete a channel (admins of its team); refused while an escalation policy targets it',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteChannel(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
}
