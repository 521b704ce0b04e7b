/** What Siaga takes from a provider's claims about the person signing in. */
export interface SsoIdentity {
  /** `<issuer>#<sub>`: stable and unique across providers (stored in users.sso_subject). */
  readonly subject: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  readonly groups: readonly string[];
  readonly zoneinfo: string | undefined;
  readonly locale: string | undefined;
}

type Claims = Readonly<Record<string, unknown>>;

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * The groups claim: by its exact name first (namespaced claims such as `https://example.com/groups` contain
 * dots), else as a dotted path into nested objects (`realm_access.roles`). A single string counts as one group.
 */
export function readGroups(claims: Claims, claimName: string): string[] {
  let value: unknown = claims[claimName];
  if (value === undefined && claimName.includes('.')) {
    value = claimName
      .split('.')
      .reduce<unknown>(
        (node, key) =>
          node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
        claims,
      );
  }
  const list = Array.isArray(value) ? value : [value];
  return [...new Set(list.map(text).filter((g): g is string => g !== undefined))];
}

/** Whether any claim Siaga uses is absent, so the UserInfo endpoint should be asked too. */
export const lacksClaims = (claims: Claims, groupsClaim: string): boolean =>
  ['email', 'email_verified', 'name'].some((c) => claims[c] === undefined) ||
  readGroups(claims, groupsClaim).length === 0;

export function readIdentity(
  claims: Claims & { iss: string; sub: string },
  groupsClaim: string,
): SsoIdentity {
  const verified = claims.email_verified;
  return {
    subject: `${claims.iss}#${claims.sub}`,
    email: text(claims.email)?.toLowerCase(),
    // Some providers send the boolean as a string.
    emailVerified: verified === true || verified === 'true',
    name: text(claims.name) ?? text(claims.preferred_username),
    groups: readGroups(claims, groupsClaim),
    zoneinfo: text(claims.zoneinfo),
    locale: text(claims.locale),
  };
}
