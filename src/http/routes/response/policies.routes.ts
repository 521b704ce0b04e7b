import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  PolicySchemas as S,
  createPolicy,
  deletePolicy,
  getPolicy,
  listPolicies,
  updatePolicy,
  type CreatePolicyInput,
  type UpdatePolicyInput,
} from '../../../response/policies/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['escalation policies'];
/** Reads and writes pass this gate; which team's policies the caller may see or change is decided by the verbs. */
const read: Access = { minRole: 'stakeholder', scope: 'read' };
const write: Access = { minRole: 'responder', scope: 'write' };
type IdParams = { id: string };

export async function policyRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/escalation-policies',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Escalation policies of your teams (every team’s, for admins), targets with their names',
        querystring: S.ListPoliciesQuery,
        response: { 200: Type.Array(S.PolicyView) },
      },
    },
    async (req) => listPolicies(req.ctx, req.query as { teamId?: string }),
  );
  app.post(
    '/api/v1/escalation-policies',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Create an escalation policy (admins of its team)',
        body: S.CreatePolicyBody,
        response: { 201: S.PolicyView },
      },
    },
    async (req, reply) => reply.status(201).send(await createPolicy(req.ctx, req.body as CreatePolicyInput)),
  );
  app.get(
    '/api/v1/escalation-policies/:id',
    {
      config: { access: read },
      schema: { tags, summary: 'One escalation policy', params: S.IdParams, response: { 200: S.PolicyView } },
    },
    async (req) => getPolicy(req.ctx, (req.params as IdParams).id),
  );
  app.patch(
    '/api/v1/escalation-policies/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Change an escalation policy (admins of its team); bumps its version. Incidents already paging keep theirs',
        params: S.IdParams,
        body: S.UpdatePolicyBody,
        response: { 200: S.PolicyView },
      },
    },
    async (req) => updatePolicy(req.ctx, (req.params as IdParams).id, req.body as UpdatePolicyInput),
  );
  app.delete(
    '/api/v1/escalation-policies/:id',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Delete an escalation policy (admins of its team); refused while a service uses it',
        params: S.IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await deletePolicy(req.ctx, (req.params as IdParams).id);
      return reply.status(204).send();
    },
  );
}
