import type { Ctx } from '../../storage/index.ts';
import { readActionToken, type IncidentAction } from './action-token.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)} · Siaga</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color-scheme:light dark}button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#1c7ed6;color:#fff;cursor:pointer}</style></head><body>${body}</body></html>`;

const verb = (a: IncidentAction) => (a === 'acknowledge' ? 'Acknowledge' : 'Resolve');

/**
 * What a link from an e-mail or chat message opens: a page with one button. The action itself needs a POST, so
 * link scanners and previews that fetch the URL do not acknowledge incidents on their own.
 */
export async function actionConfirmPage(ctx: Ctx, token: string): Promise<{ status: number; html: string }> {
  const claims = readActionToken(ctx, token);
  if (!claims)
    return {
      status: 400,
      html: page(
        'Link expired',
        '<h1>This link is invalid or has expired</h1><p>Open the incident in Siaga instead.</p>',
      ),
    };
  const row = await ctx.db
    .selectFrom('deliveries')
    .innerJoin('incidents', 'incidents.id', 'deliveries.incident_id')
    .select(['incidents.number', 'incidents.title', 'incidents.status'])
    .where('deliveries.id', '=', claims.deliveryId)
    .executeTakeFirst();
  if (!row) return { status: 404, html: page('Not found', '<h1>This incident no longer exists</h1>') };
  const title = `${verb(claims.action)} incident #${row.number}`;
  return {
    status: 200,
    html: page(
      title,
      `<h1>${esc(title)}</h1><p>${esc(row.title)}</p><p>Status now: <strong>${esc(row.status)}</strong></p><form method="post"><button type="submit">${esc(verb(claims.action))}</button></form>`,
    ),
  };
}

export const actionDonePage = (action: IncidentAction, number: number, status: string): string =>
  page(
    'Done',
    `<h1>Incident #${number} is ${esc(status)}</h1><p>${action === 'acknowledge' ? 'Escalation has stopped. ' : ''}Recorded on the incident's timeline.</p>`,
  );

export const actionFailedPage = (message: string): string =>
  page('Not done', `<h1>Nothing was changed</h1><p>${esc(message)}</p>`);
