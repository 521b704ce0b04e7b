import { Type } from 'typebox';
import { RoleSchema } from '../schemas.ts';

const Slug = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$',
  description: 'lower-case letters, digits and dashes; part of the sign-in and callback URLs',
});
const Group = Type.String({ minLength: 1, maxLength: 256 });
const TeamId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const NullableRole = Type.Union([RoleSchema, Type.Null()]);

export const RoleMapping = Type.Object({ group: Group, role: RoleSchema }, { additionalProperties: false });
export const TeamMapping = Type.Object(
  { group: Group, teamId: TeamId, role: RoleSchema },
  { additionalProperties: false },
);

const fields = {
  slug: Slug,
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
  issuer: Type.String({ minLength: 1, maxLength: 500, description: 'https URL (http only on loopback)' }),
  clientId: Type.String({ minLength: 1, maxLength: 500 }),
  clientSecret: Type.String({ minLength: 1, maxLength: 2000, description: 'write-only' }),
  scopes: Type.String({ minLength: 1, maxLength: 1000, description: 'space-separated; must include openid' }),
  groupsClaim: Type.String({ minLength: 1, maxLength: 200 }),
  roleMappings: Type.Array(RoleMapping, { maxItems: 200 }),
  teamMappings: Type.Array(TeamMapping, { maxItems: 200 }),
  defaultRole: NullableRole,
  jit: Type.Boolean(),
  enabled: Type.Boolean(),
};

export const CreateSsoProviderBody = Type.Object(
  {
    slug: fields.slug,
    displayName: fields.displayName,
    issuer: fields.issuer,
    clientId: fields.clientId,
    clientSecret: fields.clientSecret,
    scopes: Type.Optional(fields.scopes),
    groupsClaim: Type.Optional(fields.groupsClaim),
    roleMappings: Type.Optional(fields.roleMappings),
    teamMappings: Type.Optional(fields.teamMappings),
    defaultRole: Type.Optional(fields.defaultRole),
    jit: Type.Optional(fields.jit),
    enabled: Type.Optional(fields.enabled),
  },
  { additionalProperties: false },
);

export const UpdateSsoProviderBody = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
});

export const SsoProviderView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  displayName: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  hasClientSecret: Type.Boolean(),
  scopes: Type.String(),
  groupsClaim: Type.String(),
  roleMappings: Type.Array(RoleMapping),
  teamMappings: Type.Array(TeamMapping),
  defaultRole: NullableRole,
  jit: Type.Boolean(),
  enabled: Type.Boolean(),
  redirectUri: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const SignInProvider = Type.Object({
  slug: Type.String(),
  displayName: Type.String(),
  /** Where the sign-in button points (add `?returnTo=/path`). */
  startUrl: Type.String(),
});

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) });
export const StartQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) });
export const Redirect = Type.Null({ description: 'a redirect (Location header)' });
