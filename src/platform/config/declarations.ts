import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { strictValidator } from '../json-schema.ts';

/**
 * What the config file may declare besides settings, for people coming from `alertmanager.yml`: services with
 * their integrations, routing rules and inhibition rules. Declared objects are created or updated at every start
 * and are read-only through the API (the file stays the source of truth). Checked here for shape, names and keys;
 * matchers are checked by the alerting stage when the declarations are applied.
 */
export const DECLARATION_SECTIONS = ['services', 'routes', 'inhibitRules'] as const;

const Name = Type.String({ minLength: 1, maxLength: 100 });
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
    keyEnv: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })),
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

export interface Declarations {
  readonly services: readonly DeclaredServiceSpec[];
  readonly routes: readonly DeclaredRouteSpec[];
  readonly inhibitRules: readonly DeclaredInhibitRuleSpec[];
}

let validator: ReturnType<ReturnType<typeof strictValidator>['compile']> | undefined;

/** 32 random bytes in base64url: what Siaga generates, and the least a declared key must carry (256 bits). */
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Environment variables the declarations read (they are not typos even though they start with SIAGA_). */
export function declaredKeyEnvNames(doc: Record<string, unknown>): string[] {
  const services = Array.isArray(doc['services']) ? (doc['services'] as unknown[]) : [];
  return services.flatMap((s) => {
    const integrations = (s as { integrations?: unknown }).integrations;
    return Array.isArray(integrations)
      ? integrations
          .map((i) => (i as { keyEnv?: unknown }).keyEnv)
          .filter((e): e is string => typeof e === 'string')
      : [];
  });
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
  return problems.length > before ? undefined : { services, routes, inhibitRules };
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
