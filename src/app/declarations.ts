import { parseMatchers, type Matcher } from '../alerting/index.ts';
import { hashIntegrationKey } from '../catalog/index.ts';
import { appendAudit } from '../identity/index.ts';
import { ConfigError, type Declarations } from '../platform/config/index.ts';
import { isAppError } from '../platform/errors.ts';
import { applyDeclaredChannel, releaseUndeclaredChannels } from '../response/channels/channels.ts';
import { applyDeclaredPolicy, releaseUndeclaredPolicies } from '../response/policies/index.ts';
import { inTx, type Ctx } from '../storage/index.ts';

/** Declared routes come before the ones made through the API, in the file's order. */
const DECLARED_POSITION_BASE = -1_000_000;

export interface DeclarationsReport {
  readonly services: number;
  readonly integrations: number;
  readonly routes: number;
  readonly inhibitRules: number;
  readonly channels: number;
  readonly escalationPolicies: number;
  /** Services the file no longer declares: kept (they may hold history) and handed over to the API. */
  readonly released: readonly string[];
  /** Likewise for channels and escalation policies (policies may page them, services may use them). */
  readonly releasedChannels: readonly string[];
  readonly releasedEscalationPolicies: readonly string[];
}

function matchersOf(texts: readonly string[], where: string): Matcher[] {
  try {
    return texts.flatMap((t) => parseMatchers(t));
  } catch (err) {
    if (isAppError(err)) throw new ConfigError([`${where} in the config file: ${err.message}`]);
    throw err;
  }
}

/**
 * A domain check that failed on a declared object, as config problems naming the place in the file: the
 * validation error's pointers (`/steps/0/targets/1`) become dotted paths under `where`.
 */
async function asConfigProblem<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isAppError(err)) throw err;
    const lines = err.errors?.length
      ? err.errors.map((e) => `${where}${e.pointer.replace(/\//g, '.')} in the config file: ${e.detail}`)
      : [`${where} in the config file: ${err.message}`];
    throw new ConfigError(lines);
  }
}

/**
 * Makes the database say what the config file declares, in one transaction at start: teams named anywhere in it
 * (created when missing), notification channels with secrets from the environment or files, escalation policies,
 * services with their integrations (keys from the environment or key files) and policy, routing rules and
 * inhibition rules. Declared rows are read-only through the API. Running it twice changes nothing.
 */
export async function applyDeclarations(ctx: Ctx, decl: Declarations): Promise<DeclarationsReport> {
  // Matchers are checked before anything is written, so a typo names its place and changes nothing.
  const routes = decl.routes.map((r, i) => ({
    ...r,
    parsed: matchersOf(r.matchers, `routes.${i}.matchers`),
  }));
  const inhibit = decl.inhibitRules.map((r, i) => ({
    ...r,
    source: matchersOf(r.sourceMatchers, `inhibitRules.${i}.sourceMatchers`),
    target: matchersOf(r.targetMatchers, `inhibitRules.${i}.targetMatchers`),
  }));

  return inTx(ctx, async (tx) => {
    const now = tx.clock.now();
    const db = tx.db;
    // Every team the file names as an owner exists before anything refers to it (a policy may page a team
    // that only a service below names).
    const teamIds = new Map<string, string>();
    for (const name of [
      ...decl.channels.map((c) => c.team),
      ...decl.escalationPolicies.map((p) => p.team),
      ...decl.services.map((s) => s.team),
    ]) {
      if (teamIds.has(name)) continue;
      let team = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst();
      if (!team) {
        team = { id: tx.ids.next('team') };
        await db
          .insertInto('teams')
          .values({
            id: team.id,
            name,
            description: 'declared in the config file',
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      teamIds.set(name, team.id);
    }

    const channelNames: string[] = [];
    for (const [i, c] of decl.channels.entries()) {
      const { name } = await asConfigProblem(`channels.${i}`, () =>
        applyDeclaredChannel(tx, {
          name: c.name,
          teamId: teamIds.get(c.team)!,
          kind: c.kind,
          config: { ...c.config },
          secrets: { ...c.secrets },
        }),
      );
      channelNames.push(name);
    }
    const releasedChannels = await releaseUndeclaredChannels(tx, channelNames);

    const policyIds = new Map<string, string>();
    for (const [i, p] of decl.escalationPolicies.entries()) {
      const { id, name } = await asConfigProblem(`escalationPolicies.${i}`, () =>
        applyDeclaredPolicy(tx, { ...p, teamId: teamIds.get(p.team)! }),
      );
      policyIds.set(name, id);
    }
    const releasedPolicies = await releaseUndeclaredPolicies(tx, [...policyIds.keys()]);

    let integrationCount = 0;
    const serviceIds = new Map<string, string>();
    for (const [n, s] of decl.services.entries()) {
      let escalationPolicyId: string | null = null;
      if (s.escalationPolicy !== null) {
        escalationPolicyId =
          policyIds.get(s.escalationPolicy) ??
          (
            await db
              .selectFrom('escalation_policies')
              .select('id')
              .where('name', '=', s.escalationPolicy)
              .executeTakeFirst()
          )?.id ??
          null;
        if (escalationPolicyId === null)
          throw new ConfigError([
            `services.${n}.escalationPolicy in the config file: no escalation policy is named "${s.escalationPolicy}"`,
          ]);
      }
      // The file is the source of truth for the policy too: a service declared without one has none.
      const fields = {
        description: s.description,
        team_id: teamIds.get(s.team)!,
        escalation_policy_id: escalationPolicyId,
        grouping: JSON.stringify(s.grouping),
        auto_resolve: s.autoResolve,
        urgency: s.urgency,
        declared: true,
        updated_at: now,
      };
      const existing = await db
        .selectFrom('services')
        .select('id')
        .where('name', '=', s.name)
        .executeTakeFirst();
      const id = existing?.id ?? tx.ids.next('svc');
      if (existing) await db.updateTable('services').set(fields).where('id', '=', id).execute();
      else
        await db
          .insertInto('services')
          .values({ id, name: s.name, created_at: now, ...fields })
          .execute();
      serviceIds.set(s.name, id);

      const keep: string[] = [];
      for (const i of s.integrations) {
        const keyHash = hashIntegrationKey(i.key);
        const values = {
          kind: i.kind,
          key_hash: keyHash,
          key_prefix: i.key.slice(0, 6),
          config: JSON.stringify(i.config),
          declared: true,
          updated_at: now,
        };
        const current = await db
          .selectFrom('integrations')
          .select('id')
          .where('service_id', '=', id)
          .where('name', '=', i.name)
          .executeTakeFirst();
        const clash = await db
          .selectFrom('integrations')
          .select(['id', 'service_id'])
          .where('key_hash', '=', keyHash)
          .executeTakeFirst();
        if (clash && clash.id !== current?.id)
          throw new ConfigError([
            `services: the key of integration "${i.name}" of service "${s.name}" is already used by another integration; give each integration its own key`,
          ]);
        const integrationId = current?.id ?? tx.ids.next('itg');
        if (current)
          await db.updateTable('integrations').set(values).where('id', '=', integrationId).execute();
        else
          await db
            .insertInto('integrations')
            .values({
              id: integrationId,
              service_id: id,
              name: i.name,
              signing_secrets: null,
              created_at: now,
              last_event_at: null,
              ...values,
            })
            .execute();
        keep.push(integrationId);
        integrationCount++;
      }
      let gone = db.deleteFrom('integrations').where('service_id', '=', id).where('declared', '=', true);
      if (keep.length > 0) gone = gone.where('id', 'not in', keep);
      await gone.execute();
    }
    const declaredNames = decl.services.map((s) => s.name);
    let releasedQuery = db.selectFrom('services').select(['id', 'name']).where('declared', '=', true);
    if (declaredNames.length > 0) releasedQuery = releasedQuery.where('name', 'not in', declaredNames);
    const released = await releasedQuery.execute();
    for (const r of released) {
      await db
        .updateTable('services')
        .set({ declared: false, updated_at: now })
        .where('id', '=', r.id)
        .execute();
      await db
        .updateTable('integrations')
        .set({ declared: false, updated_at: now })
        .where('service_id', '=', r.id)
        .execute();
    }

    await db.deleteFrom('routes').where('declared', '=', true).execute();
    if (routes.some((r) => r.isDefault)) {
      const apiDefault = await db
        .selectFrom('routes')
        .select('name')
        .where('is_default', '=', true)
        .executeTakeFirst();
      if (apiDefault)
        throw new ConfigError([
          `routes: the config file declares a default route, but "${apiDefault.name}" was made the default through the API; delete one of them`,
        ]);
    }
    for (const [i, r] of routes.entries()) {
      const serviceId = r.service === null ? null : (serviceIds.get(r.service) ?? null);
      await db
        .insertInto('routes')
        .values({
          id: tx.ids.next('rte'),
          position: DECLARED_POSITION_BASE + i,
          name: r.name,
          matchers: JSON.stringify(r.parsed),
          service_id: serviceId,
          continue: r.continue,
          is_default: r.isDefault,
          set_severity: r.setSeverity,
          set_labels: JSON.stringify(r.setLabels),
          declared: true,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }

    await db.deleteFrom('inhibition_rules').where('declared', '=', true).execute();
    for (const r of inhibit) {
      await db
        .insertInto('inhibition_rules')
        .values({
          id: tx.ids.next('inh'),
          name: r.name,
          source_matchers: JSON.stringify(r.source),
          target_matchers: JSON.stringify(r.target),
          equal: JSON.stringify(r.equal),
          declared: true,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }

    const report: DeclarationsReport = {
      services: decl.services.length,
      integrations: integrationCount,
      routes: routes.length,
      inhibitRules: inhibit.length,
      channels: channelNames.length,
      escalationPolicies: policyIds.size,
      released: released.map((r) => r.name),
      releasedChannels,
      releasedEscalationPolicies: releasedPolicies,
    };
    await appendAudit(tx, {
      action: 'config.declarations_applied',
      object: { type: 'config', id: 'declarations' },
      teamId: null,
      after: report,
    });
    return report;
  });
}
