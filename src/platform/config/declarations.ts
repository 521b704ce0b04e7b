import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { strictValidator } from '../json-schema.ts';

/**
 * What the config file may declare besides settings, for people coming from `alertmanager.yml`: services with
 * their integrations, routing rules, inhibition rules, notification channels and escalation policies. Declared
 * objects are created or updated at every start and are read-only through the API (the file stays the source of
 * truth). Checked here for shape, names, keys and secrets; matchers, channel settings and policy targets are
 * checked by their stages when the declarations are applied.
 */
export const DECLARATION_SECTIONS = [
  'services',
  'routes',
  'inhibitRules',
  'channels',
  'escalationPolicies',
] as const;

const Name = Type.String({ minLength: 1, maxLength: 100 });
const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });
const MatcherList = Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { maxItems: 32 });
const LabelName = Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' });

const DeclaredIntegration = Type.Object(
  {
    name: Name,
    kind: Type.Union([
      Type.Literal('alertmanager'),
      Type.Literal('pagerduty'),
      Type.Literal('webhook'),
      Type.Literal('email'),
    ]),
    keyEnv: Type.Optional(EnvName),
    keyFile: Type.Optional(Type.String({ minLength: 1 })),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

const DeclaredService = Type.Object(
  {
    name: Name,
    team: Name,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    grouping: Type.Optional(
      Type.Union([
        Type.Object(
          { by: Type.Array(LabelName, { minItems: 1, maxItems: 10 }) },
          { additionalProperties: false },
        ),
        Type.Object(
          { mode: Type.Union([Type.Literal('sender'), Type.Literal('alert')]) },
          { additionalProperties: false },
        ),
      ]),
    ),
    autoResolve: Type.Optional(Type.Boolean()),
    urgency: Type.Optional(Type.Union([Type.Literal('high'), Type.Literal('low')])),
    integrations: Type.Optional(Type.Array(DeclaredIntegration, { maxItems: 50 })),
    /** The name of an escalation policy (declared in the file or made through the API). */
    escalationPolicy: Type.Optional(Name),
  },
  { additionalProperties: false },
);

/** The same list as CHANNEL_KINDS in src/storage (the platform does not import storage; a test keeps them equal). */
export const DECLARABLE_CHANNEL_KINDS = [
  'email',
  'slack',
  'teams',
  'discord',
  'mattermost',
  'telegram',
  'ntfy',
  'webhook',
  'sms',
  'voice',
  'push',
] as const;

const SecretName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' });

const DeclaredChannel = Type.Object(
  {
    name: Name,
    team: Name,
    kind: Type.Union(DECLARABLE_CHANNEL_KINDS.map((k) => Type.Literal(k))),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Secret setting → environment variable holding it. The secrets themselves never appear in the file. */
    secretsEnv: Type.Optional(
      Type.Record(SecretName, EnvName, { additionalProperties: false, maxProperties: 20 }),
    ),
    /** Secret setting → file holding it (trailing whitespace dropped). */
    secretsFile: Type.Optional(
      Type.Record(SecretName, Type.String({ minLength: 1 }), {
        additionalProperties: false,
        maxProperties: 20,
      }),
    ),
  },
  { additionalProperties: false },
);

/** Exactly one key: who or what the step pages, by the name people know it by. */
const DeclaredTarget = Type.Union([
  Type.Object({ user: Type.String({ minLength: 3, maxLength: 320 }) }, { additionalProperties: false }),
  Type.Object({ schedule: Name }, { additionalProperties: false }),
  Type.Object({ team: Name }, { additionalProperties: false }),
  Type.Object({ channel: Name }, { additionalProperties: false }),
]);

const DeclaredPolicy = Type.Object(
  {
    name: Name,
    team: Name,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    repeat: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
    steps: Type.Array(
      Type.Object(
        {
          escalateAfterMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
          roundRobin: Type.Optional(Type.Boolean()),
          targets: Type.Array(DeclaredTarget, { minItems: 1, maxItems: 20 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

const Severity = Type.Union([
  Type.Literal('critical'),
  Type.Literal('error'),
  Type.Literal('warning'),
  Type.Literal('info'),
]);

const DeclaredRoute = Type.Object(
  {
    name: Type.Optional(Name),
    matchers: Type.Optional(MatcherList),
    service: Type.Optional(Type.Union([Name, Type.Null()])),
    continue: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Boolean()),
    setSeverity: Type.Optional(Severity),
    setLabels: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String()),
    ),
  },
  { additionalProperties: false },
);

const DeclaredInhibitRule = Type.Object(
  {
    name: Type.Optional(Name),
    sourceMatchers: MatcherList,
    targetMatchers: MatcherList,
    equal: Type.Optional(Type.Array(LabelName, { maxItems: 32 })),
  },
  { additionalProperties: false },
);

const DeclarationsSchema = Type.Object({
  services: Type.Optional(Type.Array(DeclaredService, { maxItems: 1000 })),
  routes: Type.Optional(Type.Array(DeclaredRoute, { maxItems: 1000 })),
  inhibitRules: Type.Optional(Type.Array(DeclaredInhibitRule, { maxItems: 1000 })),
  channels: Type.Optional(Type.Array(DeclaredChannel, { maxItems: 1000 })),
  escalationPolicies: Type.Optional(Type.Array(DeclaredPolicy, { maxItems: 1000 })),
});

type Raw = Static<typeof DeclarationsSchema>;

export interface DeclaredIntegrationSpec {
  readonly name: string;
  readonly kind: 'alertmanager' | 'pagerduty' | 'webhook' | 'email';
  /** The key, read from the environment or a file: never written in the config file itself. */
  readonly key: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface DeclaredServiceSpec {
  readonly name: string;
  readonly team: string;
  readonly description: string;
  readonly grouping: { mode: 'labels'; labels: string[] } | { mode: 'sender' } | { mode: 'alert' };
  readonly autoResolve: boolean;
  readonly urgency: 'high' | 'low';
  readonly integrations: readonly DeclaredIntegrationSpec[];
  /** Name of the escalation policy; null leaves the service without one. */
  readonly escalationPolicy: string | null;
}

export interface DeclaredRouteSpec {
  readonly name: string;
  readonly matchers: readonly string[];
  readonly service: string | null;
  readonly continue: boolean;
  readonly isDefault: boolean;
  readonly setSeverity: 'critical' | 'error' | 'warning' | 'info' | null;
  readonly setLabels: Readonly<Record<string, string>>;
}

export interface DeclaredInhibitRuleSpec {
  readonly name: string;
  readonly sourceMatchers: readonly string[];
  readonly targetMatchers: readonly string[];
  readonly equal: readonly string[];
}

export type DeclaredChannelKind = (typeof DECLARABLE_CHANNEL_KINDS)[number];

export interface DeclaredChannelSpec {
  readonly name: string;
  readonly team: string;
  readonly kind: DeclaredChannelKind;
  readonly config: Readonly<Record<string, unknown>>;
  /** Read from the environment or files: never written in the config file itself. */
  readonly secrets: Readonly<Record<string, string>>;
}

export type DeclaredTargetType = 'user' | 'schedule' | 'team' | 'channel';

export interface DeclaredPolicySpec {
  readonly name: string;
  readonly team: string;
  readonly description: string;
  readonly repeat: number;
  readonly steps: readonly {
    readonly escalateAfterMinutes: number;
    readonly roundRobin: boolean;
    /** `ref`: the user's e-mail address, or the schedule's, team's or channel's name. */
    readonly targets: readonly { readonly type: DeclaredTargetType; readonly ref: string }[];
  }[];
}

export interface Declarations {
  readonly services: readonly DeclaredServiceSpec[];
  readonly routes: readonly DeclaredRouteSpec[];
  readonly inhibitRules: readonly DeclaredInhibitRuleSpec[];
  readonly channels: readonly DeclaredChannelSpec[];
  readonly escalationPolicies: readonly DeclaredPolicySpec[];
}

let validator: ReturnType<ReturnType<typeof strictValidator>['compile']> | undefined;

/** 32 random bytes in base64url: what Siaga generates, and the least a declared key must carry (256 bits). */
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Environment variables the declarations read (they are not typos even though they start with SIAGA_). */
export function declaredKeyEnvNames(doc: Record<string, unknown>): string[] {
  const services = Array.isArray(doc['services']) ? (doc['services'] as unknown[]) : [];
  const keys = services.flatMap((s) => {
    const integrations = (s as { integrations?: unknown }).integrations;
    return Array.isArray(integrations)
      ? integrations
          .map((i) => (i as { keyEnv?: unknown }).keyEnv)
          .filter((e): e is string => typeof e === 'string')
      : [];
  });
  const channels = Array.isArray(doc['channels']) ? (doc['channels'] as unknown[]) : [];
  const secrets = channels.flatMap((c) => {
    const env = (c as { secretsEnv?: unknown } | null)?.secretsEnv;
    return env !== null && typeof env === 'object'
      ? Object.values(env).filter((e): e is string => typeof e === 'string')
      : [];
  });
  return [...keys, ...secrets];
}

/**
 * Checks the declaration sections of the config file and reads the integration keys they point at. Every problem
 * is one line naming the place in the file, as the settings' problems are.
 */
export function parseDeclarations(
  doc: Record<string, unknown>,
  ctx: { file: string; env: Readonly<Record<string, string | undefined>>; cwd: string },
  problems: string[],
): Declarations | undefined {
  const part = Object.fromEntries(DECLARATION_SECTIONS.filter((k) => k in doc).map((k) => [k, doc[k]]));
  if (Object.keys(part).length === 0) return undefined;
  const check = (validator ??= strictValidator().compile(DeclarationsSchema));
  if (!check(part)) {
    for (const e of check.errors ?? []) {
      const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'declarations';
      problems.push(
        `${where} in ${ctx.file}: ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params['additionalProperty'])})` : ''}`,
      );
    }
    return undefined;
  }
  const raw = part as Raw;
  const before = problems.length;
  const services = (raw.services ?? []).map((s, i) => service(s, `services.${i}`, ctx, problems));
  unique(
    services.map((s) => s.name),
    'services',
    'service name',
    ctx.file,
    problems,
  );
  const serviceNames = new Set(services.map((s) => s.name));
  const routes = (raw.routes ?? []).map((r, i): DeclaredRouteSpec => {
    const where = `routes.${i}`;
    const isDefault = r.default === true;
    if (isDefault && (r.matchers?.length ?? 0) > 0)
      problems.push(
        `${where} in ${ctx.file}: the default route takes what no other rule took; give it no matchers`,
      );
    if (!isDefault && (r.matchers?.length ?? 0) === 0)
      problems.push(`${where} in ${ctx.file}: a route needs matchers (or default: true)`);
    const target = r.service ?? null;
    if (target !== null && !serviceNames.has(target))
      problems.push(`${where}.service in ${ctx.file}: no service named "${target}" is declared`);
    return {
      name: r.name ?? (isDefault ? 'default' : `route ${i + 1}`),
      matchers: r.matchers ?? [],
      service: target,
      continue: r.continue ?? false,
      isDefault,
      setSeverity: r.setSeverity ?? null,
      setLabels: r.setLabels ?? {},
    };
  });
  if (routes.filter((r) => r.isDefault).length > 1)
    problems.push(`routes in ${ctx.file}: only one route may be the default`);
  const inhibitRules = (raw.inhibitRules ?? []).map((r, i) => ({
    name: r.name ?? `inhibit rule ${i + 1}`,
    sourceMatchers: r.sourceMatchers,
    targetMatchers: r.targetMatchers,
    equal: r.equal ?? [],
  }));
  for (const [i, r] of inhibitRules.entries())
    if (r.sourceMatchers.length === 0 || r.targetMatchers.length === 0)
      problems.push(
        `inhibitRules.${i} in ${ctx.file}: sourceMatchers and targetMatchers each need at least one matcher`,
      );
  const channels = (raw.channels ?? []).map((c, i) => channel(c, `channels.${i}`, ctx, problems));
  unique(
    channels.map((c) => c.name),
    'channels',
    'channel name',
    ctx.file,
    problems,
  );
  const escalationPolicies = (raw.escalationPolicies ?? []).map((p, i) =>
    policy(p, `escalationPolicies.${i}`, ctx.file, problems),
  );
  unique(
    escalationPolicies.map((p) => p.name),
    'escalationPolicies',
    'escalation policy name',
    ctx.file,
    problems,
  );
  return problems.length > before
    ? undefined
    : { services, routes, inhibitRules, channels, escalationPolicies };
}

function channel(
  c: Raw['channels'] extends (infer T)[] | undefined ? T : never,
  where: string,
  ctx: { file: string; env: Readonly<Record<string, string | undefined>>; cwd: string },
  problems: string[],
): DeclaredChannelSpec {
  const secrets: Record<string, string> = {};
  for (const [name, env] of Object.entries(c.secretsEnv ?? {})) {
    const value = ctx.env[env]?.trim();
    if (value) secrets[name] = value;
    else
      problems.push(`${where}.secretsEnv.${name} in ${ctx.file}: the environment variable ${env} is not set`);
  }
  for (const [name, file] of Object.entries(c.secretsFile ?? {})) {
    if (name in (c.secretsEnv ?? {})) {
      problems.push(
        `${where}.secretsFile.${name} in ${ctx.file}: ${name} is also given in secretsEnv; give it once`,
      );
      continue;
    }
    const full = path.resolve(ctx.cwd, file);
    try {
      const value = readFileSync(full, 'utf8').trim();
      if (value) secrets[name] = value;
      else problems.push(`${where}.secretsFile.${name} in ${ctx.file}: ${full} is empty`);
    } catch (e) {
      problems.push(
        `${where}.secretsFile.${name} in ${ctx.file}: cannot read ${full} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return { name: c.name, team: c.team, kind: c.kind, config: c.config ?? {}, secrets };
}

function policy(
  p: Raw['escalationPolicies'] extends (infer T)[] | undefined ? T : never,
  where: string,
  file: string,
  problems: string[],
): DeclaredPolicySpec {
  const steps = p.steps.map((s, i) => {
    const targets = s.targets.map((t) => {
      const [type, ref] = Object.entries(t)[0] as [DeclaredTargetType, string];
      return { type, ref };
    });
    const seen = new Set<string>();
    for (const [j, t] of targets.entries()) {
      const key = `${t.type}:${t.ref}`;
      if (seen.has(key))
        problems.push(
          `${where}.steps.${i}.targets.${j} in ${file}: ${t.type} "${t.ref}" is already a target of this step`,
        );
      seen.add(key);
    }
    return { escalateAfterMinutes: s.escalateAfterMinutes, roundRobin: s.roundRobin ?? false, targets };
  });
  return {
    name: p.name,
    team: p.team,
    description: p.description ?? '',
    repeat: p.repeat ?? 0,
    steps,
  };
}

function service(
  s: Raw['services'] extends (infer T)[] | undefined ? T : never,
  where: string,
  ctx: { file: string; env: Readonly<Record<string, string | undefined>>; cwd: string },
  problems: string[],
): DeclaredServiceSpec {
  const integrations = (s.integrations ?? []).map((i, n): DeclaredIntegrationSpec => {
    const at = `${where}.integrations.${n}`;
    return { name: i.name, kind: i.kind, key: readKey(i, at, ctx, problems), config: i.config ?? {} };
  });
  unique(
    integrations.map((i) => i.name),
    `${where}.integrations`,
    'integration name',
    ctx.file,
    problems,
  );
  return {
    name: s.name,
    team: s.team,
    description: s.description ?? '',
    grouping:
      s.grouping === undefined
        ? { mode: 'labels', labels: ['alertname'] }
        : 'by' in s.grouping
          ? { mode: 'labels', labels: s.grouping.by }
          : { mode: s.grouping.mode },
    autoResolve: s.autoResolve ?? true,
    urgency: s.urgency ?? 'high',
    integrations,
    escalationPolicy: s.escalationPolicy ?? null,
  };
}

function readKey(
  i: { keyEnv?: string; keyFile?: string },
  at: string,
  ctx: { file: string; env: Readonly<Record<string, string | undefined>>; cwd: string },
  problems: string[],
): string {
  if ((i.keyEnv === undefined) === (i.keyFile === undefined)) {
    problems.push(
      `${at} in ${ctx.file}: give the integration key with exactly one of keyEnv or keyFile (never the key itself)`,
    );
    return '';
  }
  let key: string | undefined;
  if (i.keyEnv !== undefined) {
    key = ctx.env[i.keyEnv]?.trim();
    if (!key) {
      problems.push(`${at}.keyEnv in ${ctx.file}: the environment variable ${i.keyEnv} is not set`);
      return '';
    }
  } else {
    const file = path.resolve(ctx.cwd, i.keyFile!);
    try {
      key = readFileSync(file, 'utf8').trim();
    } catch (e) {
      problems.push(
        `${at}.keyFile in ${ctx.file}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return '';
    }
  }
  if (!KEY_PATTERN.test(key)) {
    problems.push(
      `${at} in ${ctx.file}: an integration key must be 32 random bytes in base64url (43 characters), e.g. from: openssl rand -base64 32 | tr '+/' '-_' | tr -d '='`,
    );
    return '';
  }
  return key;
}

function unique(
  names: readonly string[],
  where: string,
  what: string,
  file: string,
  problems: string[],
): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) problems.push(`${where} in ${file}: the ${what} "${n}" appears twice`);
    seen.add(n);
  }
}
