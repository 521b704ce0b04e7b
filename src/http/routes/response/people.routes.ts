import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  createContactMethod,
  createNotificationRule,
  deleteContactMethod,
  deleteNotificationRule,
  getContactMethod,
  getNotificationSetup,
  listContactMethods,
  listNotificationRules,
  PeopleSchemas as S,
  resendVerificationCode,
  selfId,
  setContactMethodDisabled,
  updateContactMethod,
  verifyContactMethod,
  type CreateContactMethodInput,
  type CreateNotificationRuleInput,
  type UpdateContactMethodInput,
} from '../../../response/people/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['people'];
/**
 * Everyone manages their own contact methods and rules; global admins anyone's. The gate lets every signed-in
 * person through, and the verbs decide whose methods the caller may touch (someone else's are a 404).
 */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'stakeholder', scope: 'write' };
/** A new webhook method's answer carries its signing secret: no browser or proxy may keep it. */
const NO_STORE = 'no-store';

type Params = { userId?: string; id?: string };

/**
 * The same routes twice: under `/api/v1/me` for the signed-in user, and under `/api/v1/users/:userId` for whoever
 * is named there (yourself, or anyone for global admins).
 */
const OWNERS = [
  {
    prefix: '/api/v1/me',
    who: 'your',
    params: S.IdParams,
    listParams: undefined,
    owner: (req: FastifyRequest) => selfId(req.ctx),
  },
  {
    prefix: '/api/v1/users/:userId',
    who: 'a person’s (yours, or anyone’s for admins)',
    params: S.UserIdParams,
    listParams: S.UserParams,
    owner: (req: FastifyRequest) => (req.params as Params).userId ?? '',
  },
] as const;

const idOf = (req: FastifyRequest): string => (req.params as Params).id ?? '';

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  for (const { prefix, who, params, listParams, owner } of OWNERS) {
    const withList = listParams ? { params: listParams } : {};
    const methods = `${prefix}/contact-methods`;

    app.get(
      methods,
      {
        config: { access: read },
        schema: {
          tags,
          summary: `List ${who} contact methods`,
          ...withList,
          response: { 200: Type.Array(S.ContactMethodView) },
        },
      },
      async (req) => listContactMethods(req.ctx, owner(req)),
    );
    app.post(
      methods,
      {
        config: { access: write },
        schema: {
          tags,
          summary: `Add one of ${who} contact methods; it is unverified until the code sent to it is entered`,
          ...withList,
          body: S.CreateContactMethodBody,
          response: { 201: S.CreatedContactMethodView },
        },
      },
      async (req, reply) => {
        const created = await createContactMethod(req.ctx, owner(req), req.body as CreateContactMethodInput);
        if (created.signingSecret !== undefined) void reply.header('cache-control', NO_STORE);
        return reply.status(201).send(created);
      },
    );
    app.get(
      `${methods}/:id`,
      {
        config: { access: read },
        schema: {
          tags,
          summary: `One of ${who} contact methods`,
          params,
          response: { 200: S.ContactMethodView },
        },
      },
      async (req) => getContactMethod(req.ctx, owner(req), idOf(req)),
    );
    app.patch(
      `${methods}/:id`,
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Rename a contact method or change its address (a new address must be verified again)',
          params,
          body: S.UpdateContactMethodBody,
          response: { 200: S.ContactMethodView },
        },
      },
      async (req) =>
        updateContactMethod(req.ctx, owner(req), idOf(req), req.body as UpdateContactMethodInput),
    );
    app.delete(
      `${methods}/:id`,
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Delete a contact method and its notification rules',
          params,
          response: { 204: Type.Null() },
        },
      },
      async (req, reply) => {
        await deleteContactMethod(req.ctx, owner(req), idOf(req));
        return reply.status(204).send();
      },
    );
    app.post(
      `${methods}/:id/verify`,
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Enter the code sent to a contact method (5 tries per code)',
          params,
          body: S.VerifyBody,
          response: { 200: S.ContactMethodView },
        },
      },
      async (req) => verifyContactMethod(req.ctx, owner(req), idOf(req), (req.body as { code: string }).code),
    );
    app.post(
      `${methods}/:id/resend-code`,
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Send a new code (at most one a minute and five an hour); the old one stops working',
          params,
          body: S.NoBody,
          response: { 200: S.ContactMethodView },
        },
      },
      async (req) => resendVerificationCode(req.ctx, owner(req), idOf(req)),
    );
    for (const [verb, disabled] of [
      ['disable', true],
      ['enable', false],
    ] as const) {
      app.post(
        `${methods}/:id/${verb}`,
        {
          config: { access: write },
          schema: {
            tags,
            summary: disabled
              ? 'Stop paging through a contact method (its rules stay)'
              : 'Page through a contact method again',
            params,
            body: S.NoBody,
            response: { 200: S.ContactMethodView },
          },
        },
        async (req) => setContactMethodDisabled(req.ctx, owner(req), idOf(req), disabled),
      );
    }

    const rules = `${prefix}/notification-rules`;
    app.get(
      rules,
      {
        config: { access: read },
        schema: {
          tags,
          summary: `${who[0]!.toUpperCase()}${who.slice(1)} notification rules by urgency, soonest first`,
          ...withList,
          response: { 200: S.NotificationRulesView },
        },
      },
      async (req) => listNotificationRules(req.ctx, owner(req)),
    );
    app.post(
      rules,
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Add a rule: page through a verified contact method this many minutes after being paged',
          ...withList,
          body: S.CreateNotificationRuleBody,
          response: { 201: S.NotificationRuleView },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await createNotificationRule(req.ctx, owner(req), req.body as CreateNotificationRuleInput)),
    );
    app.delete(
      `${rules}/:id`,
      {
        config: { access: write },
        schema: { tags, summary: 'Delete a notification rule', params, response: { 204: Type.Null() } },
      },
      async (req, reply) => {
        await deleteNotificationRule(req.ctx, owner(req), idOf(req));
        return reply.status(204).send();
      },
    );
    app.get(
      `${prefix}/notification-setup`,
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Contact methods, rules and what is missing to be reliably reachable (the profile page)',
          ...withList,
          response: { 200: S.NotificationSetupView },
        },
      },
      async (req) => getNotificationSetup(req.ctx, owner(req)),
    );
  }
}
