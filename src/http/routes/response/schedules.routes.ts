import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  ICAL_CONTENT_TYPE,
  ScheduleSchemas as S,
  createMyIcalFeed,
  createOverride,
  createSchedule,
  createScheduleIcalFeed,
  deleteOverride,
  deleteSchedule,
  getSchedule,
  getScheduleShifts,
  listMyIcalFeeds,
  listOverrides,
  listScheduleGaps,
  listScheduleIcalFeeds,
  listSchedules,
  myOnCall,
  previewScheduleUpdate,
  renderIcalFeed,
  revokeIcalFeed,
  updateSchedule,
  whoIsOnCall,
  type CreateOverrideInput,
  type CreateScheduleInput,
  type UpdateScheduleInput,
} from '../../../response/schedules/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['schedules'];
/** Coarse gates; which team's schedules the caller may see or change is decided by the verbs. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
/** Schedules (team admins, checked by the verbs) and overrides (team responders). */
const write: Access = { minRole: 'responder', scope: 'write' };
/** Making or ending a secret calendar URL: any member of the team, for themselves. */
const feed: Access = { minRole: 'stakeholder', scope: 'write' };

type IdParams = { id: string };
type Range = { from?: string; to?: string };

export async function scheduleRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/schedules',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Schedules of your teams (every team’s, for admins)',
        querystring: S.ListSchedulesQuery,
        response: { 200: Type.Array(S.ScheduleView) },
      },
    },
    async (req) => listSchedules(req.ctx, req.query as { teamId?: string }),
  );
  app.post(
    '/api/v1/schedules',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Create a schedule (admins of its team)',
        body: S.CreateScheduleBody,
        response: { 201: S.ScheduleView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createSchedule(req.ctx, req.body as CreateScheduleInput)),
  );
  app.get(
    '/api/v1/schedules/:id',
    {
      config: { access: read },
      schema: { tags, summary: 'One schedule', params: S.IdParams, response: { 200: S.ScheduleView } },
    },
    async (req) => getSchedule(req.ctx, (req.params as IdParams).id),
  );
  app.patch(
    '/api/v1/schedules/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Change a schedule (admins of its team); send `version` to refuse overwriting a newer edit',
        params: S.IdParams,
        body: S.UpdateScheduleBody,
        response: { 200: S.ScheduleView },
      },
    },
    async (req) => updateSchedule(req.ctx, (req.params as IdParams).id, req.body as UpdateScheduleInput),
  );
  app.delete(
    '/api/v1/schedules/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Delete a schedule with its overrides and calendar feeds (admins of its team)',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deleteSchedule(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/v1/schedules/:id/preview',
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          'What a change would do over the next 90 days, without saving it: hours per person, gaps, DST transitions',
        params: S.IdParams,
        body: S.UpdateScheduleBody,
        response: { 200: S.PreviewView },
      },
    },
    async (req) =>
      previewScheduleUpdate(req.ctx, (req.params as IdParams).id, req.body as UpdateScheduleInput),
  );
  app.get(
    '/api/v1/schedules/:id/on-call',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Who is on call now, or at `?at=`',
        params: S.IdParams,
        querystring: S.AtQuery,
        response: { 200: S.OnCallView },
      },
    },
    async (req) => whoIsOnCall(req.ctx, (req.params as IdParams).id, (req.query as { at?: string }).at),
  );
  app.get(
    '/api/v1/schedules/:id/shifts',
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          'The timeline of a range: final shifts, each layer, overrides and gaps (default: the next 7 days)',
        params: S.IdParams,
        querystring: S.RangeQuery,
        response: { 200: S.ShiftsView },
      },
    },
    async (req) => getScheduleShifts(req.ctx, (req.params as IdParams).id, req.query as Range),
  );
  app.get(
    '/api/v1/schedules/:id/gaps',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Where nobody is on call in a range (default: the next 30 days)',
        params: S.IdParams,
        querystring: S.RangeQuery,
        response: { 200: S.GapsView },
      },
    },
    async (req) => listScheduleGaps(req.ctx, (req.params as IdParams).id, req.query as Range),
  );
  app.get(
    '/api/v1/schedules/:id/overrides',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Overrides overlapping a range (default: the next 90 days), oldest first',
        params: S.IdParams,
        querystring: S.RangeQuery,
        response: { 200: Type.Array(S.OverrideView) },
      },
    },
    async (req) => listOverrides(req.ctx, (req.params as IdParams).id, req.query as Range),
  );
  app.post(
    '/api/v1/schedules/:id/overrides',
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Put someone on call for a while (responders of the team); `replacesUserId` swaps one person only',
        params: S.IdParams,
        body: S.CreateOverrideBody,
        response: { 201: S.OverrideView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createOverride(req.ctx, (req.params as IdParams).id, req.body as CreateOverrideInput)),
  );
  app.delete(
    '/api/v1/schedules/:id/overrides/:overrideId',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Remove an override (responders of the team)',
        params: S.OverrideParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const p = req.params as { id: string; overrideId: string };
      await deleteOverride(req.ctx, p.id, p.overrideId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/schedules/:id/ical-feeds',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Active calendar feeds of a schedule (never their secrets)',
        params: S.IdParams,
        response: { 200: Type.Array(S.IcalFeedView) },
      },
    },
    async (req) => listScheduleIcalFeeds(req.ctx, (req.params as IdParams).id),
  );
  app.post(
    '/api/v1/schedules/:id/ical',
    {
      config: { access: feed },
      schema: {
        tags,
        summary: 'Make a secret calendar URL for a schedule (members of its team); the URL is shown once',
        params: S.IdParams,
        body: S.NoBody,
        response: { 201: S.IssuedIcalFeed },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createScheduleIcalFeed(req.ctx, (req.params as IdParams).id)),
  );
  app.post(
    '/api/v1/me/ical',
    {
      config: { access: feed },
      schema: {
        tags,
        summary: 'Make a secret calendar URL of your own shifts across schedules; the URL is shown once',
        body: S.NoBody,
        response: { 201: S.IssuedIcalFeed },
      },
    },
    async (req, reply) => reply.status(201).send(await createMyIcalFeed(req.ctx)),
  );
  app.get(
    '/api/v1/me/ical-feeds',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Your active personal calendar feeds (never their secrets)',
        response: { 200: Type.Array(S.IcalFeedView) },
      },
    },
    async (req) => listMyIcalFeeds(req.ctx),
  );
  app.delete(
    '/api/v1/ical-feeds/:id',
    {
      config: { access: feed },
      schema: {
        tags,
        summary: 'End a calendar URL (a schedule’s: members of its team; a personal one: its owner)',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await revokeIcalFeed(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/me/on-call',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Where you are on call now, your next shift, and your shifts in a range (default: 30 days)',
        querystring: S.RangeQuery,
        response: { 200: S.MyOnCallView },
      },
    },
    async (req) => myOnCall(req.ctx, req.query as Range),
  );
  app.get(
    '/api/v1/ical/:token.ics',
    {
      // The secret token in the URL is the credential: calendar apps cannot sign in.
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A calendar feed (iCalendar) by its secret token; unknown or revoked tokens are not found',
        params: S.IcalParams,
        produces: ['text/calendar'],
        response: { 200: Type.String() },
      },
    },
    async (req, reply) => {
      const body = await renderIcalFeed(req.ctx, (req.params as { token: string }).token);
      return reply
        .type(ICAL_CONTENT_TYPE)
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'inline; filename="on-call.ics"')
        .send(body);
    },
  );
}
