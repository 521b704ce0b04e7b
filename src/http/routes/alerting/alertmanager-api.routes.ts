import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  expireSilence,
  fingerprint,
  getSilence,
  ingestAlertEvents,
  listAlertmanagerAlerts,
  listAlertmanagerGroups,
  listSilences,
  parseMatchers,
  saveSilence,
  Sources,
  listReceivers,
  type AmAlertFilter,
  type Matcher,
  type MatcherInput,
} from '../../../alerting/index.ts';
import type { EpochMs } from '../../../platform/clock.ts';
import { validationError } from '../../../platform/errors.ts';
import type { Access } from '../../plugins/auth.ts';
import * as S from './alertmanager-api.schemas.ts';

const tags = ['alertmanager-api'];
/** Siaga answers as Alertmanager 0.25 does (tested with its amtool and Prometheus 2.42). */
export const ALERTMANAGER_API_VERSION = '0.25.0';
const ingest: Access = { minRole: 'responder', scope: 'ingest', integrationKeys: ['alertmanager'] };
const readAlerts: Access = { minRole: 'observer', scope: 'read', integrationKeys: ['alertmanager'] };
const read: Access = { minRole: 'observer', scope: 'read' };
const write: Access = { minRole: 'responder', scope: 'write' };

interface AlertQuery {
  filter?: string[];
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  unprocessed?: boolean;
  receiver?: string;
}

/** Every `filter=` value is one matcher or a braced list of them, as amtool sends it. */
function filterMatchers(filter: readonly string[] | undefined): Matcher[] {
  return (filter ?? []).flatMap((f) => parseMatchers(f));
}

function receiverRegex(text: string | undefined): RegExp | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.length > 256) throw validationError('receiver: at most 256 characters');
  try {
    // Receiver names are short and few (one per service); the pattern only ever runs against them.
    return new RegExp(`^(?:${text})$`, 'u');
  } catch (err) {
    throw validationError(`receiver: not a valid regular expression (${(err as Error).message})`, [
      { pointer: '/receiver', detail: 'invalid regular expression' },
    ]);
  }
}

function amFilter(q: AlertQuery): AmAlertFilter {
  return {
    matchers: filterMatchers(q.filter),
    active: q.active ?? true,
    silenced: q.silenced ?? true,
    inhibited: q.inhibited ?? true,
    unprocessed: q.unprocessed ?? true,
    receiver: receiverRegex(q.receiver),
  };
}

/**
 * The Alertmanager API v2 (`/api/v2`), enough of it that Prometheus can use Siaga as its Alertmanager and amtool
 * can manage silences and query alerts. Deliberately stricter than Alertmanager 0.25: authentication, a body size
 * limit, 404 for an unknown silence on DELETE (Alertmanager answers 500), and alerts that survive a crash.
 */
export function alertmanagerApiRoutes(opts: { version: string; startedAt: EpochMs }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(
      '/api/v2/alerts',
      {
        config: { access: ingest },
        schema: {
          tags,
          summary: 'Post alerts (what Prometheus sends to an Alertmanager)',
          body: Sources.AmApiPostAlertsBody,
          response: { 200: Type.Null() },
        },
      },
      async (req, reply) => {
        const ctx = req.ctx;
        const events = Sources.toAlertEventsFromAmApi(req.body, {
          now: ctx.clock.now(),
          resolveTimeoutMs: ctx.settings.alerting.resolveTimeoutMs,
          fingerprint,
        });
        const actor = ctx.actor;
        await ingestAlertEvents(ctx, {
          source: 'alertmanager_api',
          route: true,
          integration:
            actor.kind === 'integration'
              ? { id: actor.integrationId, serviceId: actor.serviceId }
              : undefined,
          events,
        });
        return reply.status(200).send(null);
      },
    );

    app.get(
      '/api/v2/alerts',
      {
        config: { access: readAlerts },
        schema: {
          tags,
          summary: 'List open alerts',
          querystring: S.AlertQuery,
          response: { 200: S.GettableAlerts },
        },
      },
      async (req) => listAlertmanagerAlerts(req.ctx, amFilter(req.query as AlertQuery)),
    );

    app.get(
      '/api/v2/alerts/groups',
      {
        config: { access: readAlerts },
        schema: {
          tags,
          summary: 'Open alerts in their groups',
          querystring: S.AlertQuery,
          response: { 200: S.AlertGroups },
        },
      },
      async (req) => listAlertmanagerGroups(req.ctx, amFilter(req.query as AlertQuery)),
    );

    app.get(
      '/api/v2/status',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Version and cluster status (amtool reads it)',
          response: { 200: S.Status },
        },
      },
      async () => ({
        cluster: { name: 'siaga', status: 'disabled', peers: [] },
        // The Alertmanager API level Siaga implements: amtool compares it with its own version and warns otherwise.
        versionInfo: {
          version: ALERTMANAGER_API_VERSION,
          revision: `siaga-${opts.version}`,
          branch: 'main',
          buildUser: 'siaga',
          buildDate: '',
          goVersion: `siaga (Node ${process.versions.node})`,
        },
        config: {
          original:
            '# Siaga: routes, services and silences are managed through its API, UI and config file.\n',
        },
        uptime: new Date(opts.startedAt).toISOString(),
      }),
    );

    app.get(
      '/api/v2/receivers',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Receivers: one per service, plus unrouted',
          response: { 200: S.Receivers },
        },
      },
      async (req) => listReceivers(req.ctx),
    );

    app.get(
      '/api/v2/silences',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'List silences',
          querystring: S.SilenceQuery,
          response: { 200: S.GettableSilences },
        },
      },
      async (req) =>
        listSilences(req.ctx, { matchers: filterMatchers((req.query as { filter?: string[] }).filter) }),
    );

    app.post(
      '/api/v2/silences',
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Create or update (with id) a silence',
          body: S.PostableSilence,
          response: { 200: S.SilenceCreated },
        },
      },
      async (req) => {
        const b = req.body as {
          id?: string;
          matchers: MatcherInput[];
          startsAt: string;
          endsAt: string;
          createdBy: string;
          comment: string;
        };
        const silenceID = await saveSilence(req.ctx, {
          id: b.id === '' ? undefined : b.id,
          matchers: b.matchers,
          startsAt: instant(b.startsAt, '/startsAt'),
          endsAt: instant(b.endsAt, '/endsAt'),
          createdBy: b.createdBy,
          comment: b.comment,
        });
        return { silenceID };
      },
    );

    app.get(
      '/api/v2/silence/:silenceID',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'One silence',
          params: S.SilenceParams,
          response: { 200: S.GettableSilence },
        },
      },
      async (req) => getSilence(req.ctx, (req.params as { silenceID: string }).silenceID),
    );

    app.delete(
      '/api/v2/silence/:silenceID',
      {
        config: { access: write },
        schema: {
          tags,
          summary: 'Expire a silence (idempotent)',
          params: S.SilenceParams,
          response: { 200: Type.Null() },
        },
      },
      async (req, reply) => {
        await expireSilence(req.ctx, (req.params as { silenceID: string }).silenceID);
        return reply.status(200).send(null);
      },
    );
  };
}

function instant(text: string, pointer: string): EpochMs {
  const ms = Sources.parseRfc3339(text);
  if (ms === undefined)
    throw validationError(`${pointer.slice(1)}: not an RFC 3339 date-time`, [
      { pointer, detail: `cannot read ${JSON.stringify(text)} as a date-time` },
    ]);
  return ms;
}
