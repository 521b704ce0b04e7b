/** Roles from least to most; the same order as the server's (src/platform/context.ts). */
export const ROLES = ['stakeholder', 'observer', 'responder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  stakeholder: 'Stakeholder',
  observer: 'Observer',
  responder: 'Responder',
  admin: 'Admin',
};

/** One line per role, shown where a role is chosen. */
export const ROLE_HINTS: Record<Role, string> = {
  stakeholder: 'Follows incidents and status updates',
  observer: 'Reads everything, changes nothing',
  responder: 'Works alerts and incidents, goes on call',
  admin: 'Manages people, teams and settings',
};

export const atLeast = (role: Role, min: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(min);

export const TOKEN_SCOPES = ['ingest', 'read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const SCOPE_HINTS: Record<TokenScope, string> = {
  ingest: 'Send alerts and events in',
  read: 'Read data (at most observer)',
  write: 'Change data (at most responder)',
  admin: 'Administer (at most admin)',
};
