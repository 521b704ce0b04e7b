import { Type, type Static } from 'typebox';
import { ROLE_ORDER, TOKEN_SCOPES } from '../platform/context.ts';

export const RoleSchema = Type.Union(ROLE_ORDER.map((r) => Type.Literal(r)));
export const ScopeSchema = Type.Union(TOKEN_SCOPES.map((s) => Type.Literal(s)));
const Email = Type.String({ format: 'email', maxLength: 254 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Password = Type.String({ minLength: 1, maxLength: 512 });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });
export const TeamMemberParams = Type.Object({ id: Id, userId: Id });

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  locale: Type.String(),
  role: RoleSchema,
  status: Type.Union([Type.Literal('active'), Type.Literal('deactivated')]),
  hasPassword: Type.Boolean(),
  sso: Type.Boolean(),
  createdAt: Type.String(),
  lastLoginAt: Nullable(Type.String()),
  teams: Type.Array(Type.Object({ teamId: Type.String(), teamName: Type.String(), role: RoleSchema })),
});

export const CreateUserBody = Type.Object(
  {
    email: Email,
    name: Name,
    role: RoleSchema,
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    role: Type.Optional(RoleSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChangePasswordBody = Type.Object(
  { newPassword: Password, currentPassword: Type.Optional(Password) },
  { additionalProperties: false },
);

export const ListUsersQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});

export const TeamView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: Type.String(),
  members: Type.Array(
    Type.Object({
      userId: Type.String(),
      name: Type.String(),
      email: Type.String(),
      role: RoleSchema,
      active: Type.Boolean(),
    }),
  ),
});
export const CreateTeamBody = Type.Object(
  { name: Name, description: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const UpdateTeamBody = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false, minProperties: 1 },
);
export const SetMemberBody = Type.Object({ role: RoleSchema }, { additionalProperties: false });

export const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Password },
  { additionalProperties: false },
);
export const SessionView = Type.Object({
  user: UserView,
  csrfToken: Type.String(),
  expiresAt: Type.Optional(Type.String()),
});
export const SetupStatus = Type.Object({ needed: Type.Boolean() });
export const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 10, maxLength: 200 }),
    email: Email,
    name: Name,
    password: Password,
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const ApiTokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('personal'), Type.Literal('service')]),
  prefix: Type.String(),
  userId: Type.String(),
  teamId: Nullable(Type.String()),
  role: RoleSchema,
  scopes: Type.Array(ScopeSchema),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});
export const CreatedApiToken = Type.Object({
  token: Type.String({ description: 'The token itself. Shown only in this response; store it now.' }),
  apiToken: ApiTokenView,
});
export const CreateApiTokenBody = Type.Object(
  {
    name: Name,
    kind: Type.Union([Type.Literal('personal'), Type.Literal('service')]),
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 4 }),
    role: Type.Optional(RoleSchema),
    teamId: Type.Optional(Nullable(Id)),
    expiresAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export const ListTokensQuery = Type.Object({ teamId: Type.Optional(Id) });

export const AuditQuery = Type.Object({
  teamId: Type.Optional(Id),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Type.String({ maxLength: 64 })),
  objectType: Type.Optional(Type.String({ maxLength: 50 })),
  objectId: Type.Optional(Type.String({ maxLength: 254 })),
  outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  before: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export const AuditEntryView = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor: Type.Object({ kind: Type.String(), id: Nullable(Type.String()), label: Type.String() }),
  action: Type.String(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  object: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  teamId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  detail: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
});

export const Empty = Type.Object({});
