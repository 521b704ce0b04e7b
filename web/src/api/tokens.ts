import { queryOptions } from '@tanstack/react-query';
import { expectArray, expectRecord, getJson, sendJson } from './client.ts';
import type { Role, TokenScope } from './roles.ts';

export type TokenKind = 'personal' | 'service';

export interface ApiToken {
  id: string;
  name: string;
  kind: TokenKind;
  /** The first characters of the token, to recognise it; the token itself is never shown again. */
  prefix: string;
  userId: string;
  teamId: string | null;
  role: Role;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewToken {
  name: string;
  kind: TokenKind;
  scopes: TokenScope[];
  role?: Role;
  teamId?: string;
  expiresAt?: string;
}

export interface CreatedToken {
  /** Shown once, right after creation. */
  token: string;
  apiToken: ApiToken;
}

/** Your personal tokens (no teamId), or one team's service tokens (team admins). */
export const tokensQuery = (teamId?: string) =>
  queryOptions({
    queryKey: ['tokens', teamId ?? 'personal'],
    queryFn: async ({ signal }) => {
      const path = teamId ? `/api/v1/tokens?teamId=${encodeURIComponent(teamId)}` : '/api/v1/tokens';
      const tokens = expectArray<ApiToken>('/api/v1/tokens', await getJson(path, { signal }));
      // Without a team the server also lists service tokens of teams you administer; those live on the team page.
      return teamId ? tokens : tokens.filter((token) => token.kind === 'personal');
    },
  });

export async function createToken(input: NewToken): Promise<CreatedToken> {
  return expectRecord<CreatedToken>(
    '/api/v1/tokens',
    await sendJson('POST', '/api/v1/tokens', input),
    'token',
  );
}

export async function revokeToken(id: string): Promise<ApiToken> {
  const path = `/api/v1/tokens/${encodeURIComponent(id)}`;
  return expectRecord<ApiToken>(path, await sendJson('DELETE', path), 'id');
}
