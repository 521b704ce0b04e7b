import { appendAudit, requireRole } from '../../identity/index.ts';
import { toIso } from '../../platform/clock.ts';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import type { InhibitionRulesTable } from '../../storage/schema.ts';
import { checkMatcherList, checkRuleName } from '../matcher-input.ts';
import { isValidLabelName, type Matcher, type MatcherInput } from '../matchers/index.ts';

/**
 * Inhibition rules (Alertmanager's `inhibit_rules`): while a source alert fires, matching target alerts open no
 * incident. They cut across every team's alerts, so they are global configuration: global observers read them,
 * global admins change them.
 */

export interface InhibitionRuleView {
  readonly id: string;
  readonly name: string;
  readonly sourceMatchers: Matcher[];
  readonly targetMatchers: Matcher[];
  readonly equal: string[];
  /** From the config file: read-only here. */
  readonly declared: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface InhibitionRuleInput {
  readonly name: string;
  readonly sourceMatchers: readonly MatcherInput[];
  readonly targetMatchers: readonly MatcherInput[];
  /** Labels that must have the same value on source and target (absent on both counts as equal). */
  readonly equal: readonly string[];
}

const MAX_EQUAL = 32;
/** Every ingest transaction that could be inhibited reads every rule; a bound keeps that cheap. */
const MAX_RULES = 1000;

const toView = (r: InhibitionRulesTable): InhibitionRuleView => ({
  id: r.id,
  name: r.name,
  sourceMatchers: JSON.parse(r.source_matchers) as Matcher[],
  targetMatchers: JSON.parse(r.target_matchers) as Matcher[],
  equal: JSON.parse(r.equal) as string[],
  declared: Boolean(r.declared),
  createdAt: toIso(r.created_at),
  updatedAt: toIso(r.updated_at),
});

async function findRow(ctx: Ctx, id: string): Promise<InhibitionRulesTable> {
  const row = await ctx.db.selectFrom('inhibition_rules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('inhibition rule', id);
  return row;
}

export async function listInhibitionRules(ctx: Ctx): Promise<InhibitionRuleView[]> {
  requireRole(ctx, 'observer', { teamId: null });
  const rows = await ctx.db
    .selectFrom('inhibition_rules')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_RULES)
    .execute();
  return rows.map(toView);
}

export async function getInhibitionRule(ctx: Ctx, id: string): Promise<InhibitionRuleView> {
  requireRole(ctx, 'observer', { teamId: null });
  return toView(await findRow(ctx, id));
}

interface Checked {
  readonly name: string;
  readonly sourceMatchers: Matcher[];
  readonly targetMatchers: Matcher[];
  readonly equal: string[];
}

/** Every problem at once. Both sides need a matcher: an empty side would match every alert. */
function checkRule(input: InhibitionRuleInput): Checked {
  const errors: FieldError[] = [];
  const name = checkRuleName(input.name, errors);
  const sourceMatchers = checkMatcherList(input.sourceMatchers, '/sourceMatchers', errors, {
    required: true,
  }).matchers;
  const targetMatchers = checkMatcherList(input.targetMatchers, '/targetMatchers', errors, {
    required: true,
  }).matchers;
  if (input.equal.length > MAX_EQUAL)
    errors.push({ pointer: '/equal', detail: `at most ${MAX_EQUAL} labels` });
  input.equal.forEach((label, i) => {
    if (!isValidLabelName(label))
      errors.push({
        pointer: `/equal/${i}`,
        detail: 'is not a label name: it must match [a-zA-Z_][a-zA-Z0-9_]*',
      });
    else if (input.equal.indexOf(label) !== i)
      errors.push({ pointer: `/equal/${i}`, detail: `lists ${label} twice` });
  });
  if (errors.length > 0) throw validationError(`invalid inhibition rule: ${errors[0]!.detail}`, errors);
  return { name, sourceMatchers, targetMatchers, equal: [...input.equal] };
}

/** Rows from the YAML config file change only there; an API edit would be undone at the next start anyway. */
function refuseDeclared(row: InhibitionRulesTable): void {
  if (row.declared)
    throw conflict(
      `inhibition rule ${row.name} is declared in the config file and managed there; change it in the file instead`,
      { declared: true },
    );
}

const columns = (c: Checked) => ({
  name: c.name,
  source_matchers: JSON.stringify(c.sourceMatchers),
  target_matchers: JSON.stringify(c.targetMatchers),
  equal: JSON.stringify(c.equal),
});

export async function createInhibitionRule(
  ctx: Ctx,
  input: InhibitionRuleInput,
): Promise<InhibitionRuleView> {
  requireRole(ctx, 'admin', { teamId: null });
  const fields = checkRule(input);
  return inTx(ctx, async (tx) => {
    const count = await tx.db
      .selectFrom('inhibition_rules')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_RULES) throw conflict(`at most ${MAX_RULES} inhibition rules`);
    const now = tx.clock.now();
    const row: InhibitionRulesTable = {
      id: tx.ids.next('inh'),
      ...columns(fields),
      declared: false,
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('inhibition_rules').values(row).execute();
    const after = toView(row);
    await appendAudit(tx, {
      action: 'inhibition_rule.created',
      object: { type: 'inhibition_rule', id: row.id },
      teamId: null,
      after,
    });
    return after;
  });
}

export async function updateInhibitionRule(
  ctx: Ctx,
  id: string,
  patch: Partial<InhibitionRuleInput>,
): Promise<InhibitionRuleView> {
  requireRole(ctx, 'admin', { teamId: null });
  return inTx(ctx, async (tx) => {
    const old = await findRow(tx, id);
    refuseDeclared(old);
    const before = toView(old);
    const fields = checkRule({
      name: patch.name ?? before.name,
      sourceMatchers: patch.sourceMatchers ?? before.sourceMatchers,
      targetMatchers: patch.targetMatchers ?? before.targetMatchers,
      equal: patch.equal ?? before.equal,
    });
    const row: InhibitionRulesTable = { ...old, ...columns(fields), updated_at: tx.clock.now() };
    await tx.db
      .updateTable('inhibition_rules')
      .set({ ...columns(fields), updated_at: row.updated_at })
      .where('id', '=', id)
      .execute();
    const after = toView(row);
    await appendAudit(tx, {
      action: 'inhibition_rule.updated',
      object: { type: 'inhibition_rule', id },
      teamId: null,
      before,
      after,
    });
    return after;
  });
}

export async function deleteInhibitionRule(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'admin', { teamId: null });
  await inTx(ctx, async (tx) => {
    const old = await findRow(tx, id);
    refuseDeclared(old);
    await tx.db.deleteFrom('inhibition_rules').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'inhibition_rule.deleted',
      object: { type: 'inhibition_rule', id },
      teamId: null,
      before: toView(old),
    });
  });
}
