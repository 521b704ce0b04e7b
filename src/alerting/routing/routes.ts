import { appendAudit, requireRole } from '../../identity/index.ts';
import { toIso } from '../../platform/clock.ts';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors.ts';
import { inTx, type Ctx, type Db } from '../../storage/index.ts';
import type { AlertSeverity, RoutesTable } from '../../storage/schema.ts';
import { checkMatcherList, checkRuleName } from '../matcher-input.ts';
import { isValidLabelName, type Matcher, type MatcherInput } from '../matchers/index.ts';

/**
 * Routing rules: which service takes an alert that arrives without an integration (Alertmanager API v2). They are
 * global configuration, not a team's: everyone with the global observer role reads them, only global admins
 * change them, because one rule placed first can take every team's alerts away from it.
 */

export interface RouteView {
  readonly id: string;
  readonly name: string;
  /** 0-based place in the evaluation order; the default route is always last. */
  readonly position: number;
  readonly matchers: Matcher[];
  readonly serviceId: string | null;
  readonly serviceName: string | null;
  readonly continue: boolean;
  readonly isDefault: boolean;
  readonly setSeverity: AlertSeverity | null;
  readonly setLabels: Record<string, string>;
  /** From the config file: read-only here. */
  readonly declared: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CreateRouteInput {
  readonly name: string;
  readonly matchers: readonly MatcherInput[];
  /** null: the rule takes the alert and leaves it unrouted (a "drop" rule). */
  readonly serviceId: string | null;
  readonly continue?: boolean | undefined;
  readonly setSeverity?: AlertSeverity | null | undefined;
  readonly setLabels?: Readonly<Record<string, string>> | undefined;
  readonly isDefault?: boolean | undefined;
  /** Where to put the rule (0 = tried first; rules from the config file hold the first places); the end when absent. */
  readonly position?: number | undefined;
}

export type UpdateRouteInput = Partial<CreateRouteInput>;

const MAX_SET_LABELS = 32;
/** The whole table is read on every ingest transaction; a bound keeps that cheap. */
const MAX_ROUTES = 1000;

type Row = RoutesTable & { service_name: string | null };

const toView = (r: Row, position: number): RouteView => ({
  id: r.id,
  name: r.name,
  position,
  matchers: JSON.parse(r.matchers) as Matcher[],
  serviceId: r.service_id,
  serviceName: r.service_name,
  continue: Boolean(r.continue),
  isDefault: Boolean(r.is_default),
  setSeverity: r.set_severity,
  setLabels: JSON.parse(r.set_labels) as Record<string, string>,
  declared: Boolean(r.declared),
  createdAt: toIso(r.created_at),
  updatedAt: toIso(r.updated_at),
});

/** Every rule in evaluation order, the same order `loadRouteRules` gives the ingest path. */
async function loadRows(db: Db): Promise<Row[]> {
  return db
    .selectFrom('routes')
    .leftJoin('services', 'services.id', 'routes.service_id')
    .selectAll('routes')
    .select('services.name as service_name')
    .orderBy('routes.is_default')
    .orderBy('routes.position')
    .orderBy('routes.id')
    .execute();
}

const viewsOf = (rows: readonly Row[]): RouteView[] => rows.map((r, i) => toView(r, i));

function findView(rows: readonly Row[], id: string): RouteView {
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) throw notFound('route', id);
  return toView(rows[i]!, i);
}

export async function listRoutes(ctx: Ctx): Promise<RouteView[]> {
  requireRole(ctx, 'observer', { teamId: null });
  return viewsOf(await loadRows(ctx.db));
}

export async function getRoute(ctx: Ctx, id: string): Promise<RouteView> {
  requireRole(ctx, 'observer', { teamId: null });
  return findView(await loadRows(ctx.db), id);
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: every problem at once, with its place in the body.

interface Checked {
  readonly name: string;
  readonly matchers: Matcher[];
  readonly serviceId: string | null;
  readonly continue: boolean;
  readonly isDefault: boolean;
  readonly setSeverity: AlertSeverity | null;
  readonly setLabels: Record<string, string>;
}

function checkFields(input: Omit<Checked, 'matchers'> & { matchers: readonly MatcherInput[] }): Checked {
  const errors: FieldError[] = [];
  const name = checkRuleName(input.name, errors);
  const checked = checkMatcherList(input.matchers, '/matchers', errors);
  if (input.isDefault) {
    if (input.matchers.length > 0)
      errors.push({
        pointer: '/matchers',
        detail: 'the default route takes what no other rule took; give it no matchers',
      });
    if (input.continue)
      errors.push({
        pointer: '/continue',
        detail: 'the default route is tried last: there is nothing to continue to',
      });
  }
  errors.push(...checkSetLabels(input.setLabels));
  if (errors.length > 0) throw validationError(`invalid route: ${errors[0]!.detail}`, errors);
  return { ...input, name, matchers: checked.matchers };
}

/** The labels a rule sets are stored on the alert as they are, so they follow the rules of alert labels. */
function checkSetLabels(labels: Readonly<Record<string, string>>): FieldError[] {
  const entries = Object.entries(labels);
  if (entries.length > MAX_SET_LABELS)
    return [{ pointer: '/setLabels', detail: `at most ${MAX_SET_LABELS} labels` }];
  const errors: FieldError[] = [];
  for (const [name, value] of entries) {
    const pointer = `/setLabels/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!isValidLabelName(name) || name.length > 128)
      errors.push({
        pointer,
        detail: 'is not a label name: it must match [a-zA-Z_][a-zA-Z0-9_]* (at most 128)',
      });
    else if (value === '')
      errors.push({ pointer, detail: 'must not be empty (an empty label is an absent one)' });
    else if (value.length > 4096) errors.push({ pointer, detail: 'at most 4,096 characters' });
  }
  return errors;
}

async function checkService(tx: Ctx, serviceId: string | null): Promise<void> {
  if (serviceId === null) return;
  const found = await tx.db
    .selectFrom('services')
    .select('id')
    .where('id', '=', serviceId)
    .executeTakeFirst();
  if (!found)
    throw validationError(`service ${serviceId} does not exist`, [
      { pointer: '/serviceId', detail: 'is not a service' },
    ]);
}

function checkOneDefault(rows: readonly Row[], exceptId?: string): void {
  const other = rows.find((r) => r.is_default && r.id !== exceptId);
  if (other)
    throw conflict(`route ${other.name} is already the default route; there can be only one`, {
      defaultRouteId: other.id,
    });
}

/** API rules go after the declared ones (see `renumber`), so the first `min` places are taken. */
function checkPosition(position: number | undefined, min: number, max: number): void {
  if (position !== undefined && (!Number.isInteger(position) || position < min || position > max))
    throw validationError(`position must be from ${min} to ${max}`, [
      {
        pointer: '/position',
        detail:
          min > 0
            ? `must be a whole number from ${min} to ${max}: the ${min} routes declared in the config file come first`
            : `must be a whole number from 0 to ${max}`,
      },
    ]);
}

/** Rows from the YAML config file change only there; an API edit would be undone at the next start anyway. */
function refuseDeclared(row: Row): void {
  if (row.declared)
    throw conflict(
      `route ${row.name} is declared in the config file and managed there; change it in the file instead`,
      { declared: true },
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

/**
 * Route writes take turns: bumping one counter row locks it until commit, so two concurrent writes cannot both
 * see "no default route yet" (PostgreSQL) or interleave their renumbering. The value is the rules' revision.
 */
async function lockRoutes(tx: Ctx): Promise<void> {
  await tx.db
    .insertInto('counters')
    .values({ name: 'routes.revision', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .execute();
}

/**
 * Stores `order` (ids of the non-default rules, declared ones first) as positions. Declared rules keep the
 * negative positions the config file's loader gives them, which puts them before every API rule at each start;
 * API rules get 0, 1, 2... and an API default route the place after them.
 */
async function renumber(tx: Ctx, rows: readonly Row[], order: readonly string[]): Promise<void> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const own = order.filter((id) => !byId.get(id)?.declared);
  const fallback = rows.find((r) => r.is_default && !r.declared && !order.includes(r.id));
  const wanted: [string, number][] = own.map((id, i) => [id, i]);
  if (fallback) wanted.push([fallback.id, own.length]);
  for (const [id, position] of wanted)
    if (byId.get(id)?.position !== position)
      await tx.db.updateTable('routes').set({ position }).where('id', '=', id).execute();
}

const orderOf = (rows: readonly Row[]): string[] => rows.filter((r) => !r.is_default).map((r) => r.id);
const declaredOf = (rows: readonly Row[]): string[] =>
  rows.filter((r) => !r.is_default && r.declared).map((r) => r.id);

async function reload(tx: Ctx, id: string): Promise<RouteView> {
  return findView(await loadRows(tx.db), id);
}

/** Global admins add a rule, at `position` or at the end; at most one rule is the default. */
export async function createRoute(ctx: Ctx, input: CreateRouteInput): Promise<RouteView> {
  requireRole(ctx, 'admin', { teamId: null });
  const isDefault = input.isDefault ?? false;
  const fields = checkFields({
    name: input.name,
    matchers: input.matchers,
    serviceId: input.serviceId,
    continue: input.continue ?? false,
    isDefault,
    setSeverity: input.setSeverity ?? null,
    setLabels: input.setLabels ?? {},
  });
  if (isDefault && input.position !== undefined)
    throw validationError('the default route is always tried last', [
      { pointer: '/position', detail: 'the default route is always tried last; leave position out' },
    ]);
  return inTx(ctx, async (tx) => {
    await lockRoutes(tx);
    const rows = await loadRows(tx.db);
    if (rows.length >= MAX_ROUTES) throw conflict(`at most ${MAX_ROUTES} routes`);
    if (isDefault) checkOneDefault(rows);
    const order = orderOf(rows);
    checkPosition(input.position, declaredOf(rows).length, order.length);
    await checkService(tx, fields.serviceId);
    const now = tx.clock.now();
    const id = tx.ids.next('rte');
    await tx.db
      .insertInto('routes')
      .values({
        id,
        position: order.length,
        name: fields.name,
        matchers: JSON.stringify(fields.matchers),
        service_id: fields.serviceId,
        continue: fields.continue,
        is_default: fields.isDefault,
        set_severity: fields.setSeverity,
        set_labels: JSON.stringify(fields.setLabels),
        declared: false,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (!isDefault) {
      order.splice(input.position ?? order.length, 0, id);
      await renumber(tx, [...rows], order);
    }
    const after = await reload(tx, id);
    await appendAudit(tx, { action: 'route.created', object: { type: 'route', id }, teamId: null, after });
    return after;
  });
}

/** Changes a rule, or moves it with `position`; rules from the config file are refused (409). */
export async function updateRoute(ctx: Ctx, id: string, patch: UpdateRouteInput): Promise<RouteView> {
  requireRole(ctx, 'admin', { teamId: null });
  return inTx(ctx, async (tx) => {
    await lockRoutes(tx);
    const rows = await loadRows(tx.db);
    const old = rows.find((r) => r.id === id);
    if (!old) throw notFound('route', id);
    refuseDeclared(old);
    const before = findView(rows, id);
    const isDefault = patch.isDefault ?? before.isDefault;
    const fields = checkFields({
      name: patch.name ?? before.name,
      matchers: patch.matchers ?? before.matchers,
      serviceId: patch.serviceId === undefined ? before.serviceId : patch.serviceId,
      continue: patch.continue ?? before.continue,
      isDefault,
      setSeverity: patch.setSeverity === undefined ? before.setSeverity : patch.setSeverity,
      setLabels: patch.setLabels ?? before.setLabels,
    });
    if (isDefault) {
      checkOneDefault(rows, id);
      if (patch.position !== undefined)
        throw validationError('the default route is always tried last', [
          { pointer: '/position', detail: 'the default route is always tried last; leave position out' },
        ]);
    }
    if (fields.serviceId !== before.serviceId) await checkService(tx, fields.serviceId);
    const order = orderOf(rows).filter((x) => x !== id);
    if (!isDefault) {
      checkPosition(patch.position, declaredOf(rows).length, order.length);
      const at = patch.position ?? (before.isDefault ? order.length : before.position);
      order.splice(Math.min(at, order.length), 0, id);
    }
    await tx.db
      .updateTable('routes')
      .set({
        name: fields.name,
        matchers: JSON.stringify(fields.matchers),
        service_id: fields.serviceId,
        continue: fields.continue,
        is_default: fields.isDefault,
        set_severity: fields.setSeverity,
        set_labels: JSON.stringify(fields.setLabels),
        updated_at: tx.clock.now(),
      })
      .where('id', '=', id)
      .execute();
    await renumber(tx, await loadRows(tx.db), order);
    const after = await reload(tx, id);
    await appendAudit(tx, {
      action: 'route.updated',
      object: { type: 'route', id },
      teamId: null,
      before,
      after,
    });
    return after;
  });
}

export async function deleteRoute(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'admin', { teamId: null });
  await inTx(ctx, async (tx) => {
    await lockRoutes(tx);
    const rows = await loadRows(tx.db);
    const old = rows.find((r) => r.id === id);
    if (!old) throw notFound('route', id);
    refuseDeclared(old);
    const before = findView(rows, id);
    await tx.db.deleteFrom('routes').where('id', '=', id).execute();
    const left = rows.filter((r) => r.id !== id);
    await renumber(tx, left, orderOf(left));
    await appendAudit(tx, { action: 'route.deleted', object: { type: 'route', id }, teamId: null, before });
  });
}

/**
 * Sets the whole evaluation order at once: `ids` lists every rule exactly once, except the default route, which
 * is always tried last (list it last or leave it out). Rules declared in the config file come first, in the
 * file's order, as the server puts them back at every start: the list must begin with them, unchanged.
 */
export async function reorderRoutes(
  ctx: Ctx,
  input: { readonly ids: readonly string[] },
): Promise<RouteView[]> {
  requireRole(ctx, 'admin', { teamId: null });
  return inTx(ctx, async (tx) => {
    await lockRoutes(tx);
    const rows = await loadRows(tx.db);
    const fallback = rows.find((r) => r.is_default);
    const ids = fallback && input.ids.at(-1) === fallback.id ? input.ids.slice(0, -1) : [...input.ids];
    const current = orderOf(rows);
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) errors.push({ pointer: `/ids/${i}`, detail: `lists ${id} twice` });
      else if (fallback?.id === id)
        errors.push({ pointer: `/ids/${i}`, detail: 'the default route is always tried last' });
      else if (!current.includes(id)) errors.push({ pointer: `/ids/${i}`, detail: `${id} is not a route` });
      seen.add(id);
    });
    const missing = current.filter((id) => !seen.has(id));
    if (missing.length > 0)
      errors.push({ pointer: '/ids', detail: `must list every route; missing: ${missing.join(', ')}` });
    if (errors.length > 0) throw validationError(`invalid order: ${errors[0]!.detail}`, errors);
    const declared = declaredOf(rows);
    if (ids.slice(0, declared.length).join(',') !== declared.join(','))
      throw conflict(
        'routes declared in the config file come first, in the order the file gives them; change that in the file',
        { declared: true },
      );
    await renumber(tx, rows, ids);
    const after = viewsOf(await loadRows(tx.db));
    await appendAudit(tx, {
      action: 'route.reordered',
      teamId: null,
      before: current,
      after: after.map((r) => r.id),
    });
    return after;
  });
}
