import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditToCsv, IdentitySchemas as S, listAudit, type AuditFilter } from '../../../identity/index.ts';
import type { Access } from '../../plugins/auth.ts';

const tags = ['audit'];
const admin: Access = { minRole: 'admin', scope: 'admin' };

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/audit',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Audit log, newest first (admins; team admins with teamId)',
        querystring: S.AuditQuery,
        response: { 200: Type.Array(S.AuditEntryView) },
      },
    },
    async (req) => listAudit(req.ctx, req.query as AuditFilter),
  );
  app.get(
    '/api/v1/audit.csv',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'The same entries as CSV',
        querystring: S.AuditQuery,
        produces: ['text/csv'],
        response: { 200: Type.String() },
      },
    },
    async (req, reply) => {
      const entries = await listAudit(req.ctx, { limit: 1000, ...(req.query as AuditFilter) });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="siaga-audit.csv"')
        .send(auditToCsv(entries));
    },
  );
}
