import { describe, expect, it } from 'vitest';
import type { Actor, Role, TokenScope } from '../platform/context.ts';
import { highestRole, roleFor } from './roles.ts';

const user = (role: Role, teams: [string, Role][] = [], scopes?: TokenScope[]): Actor => ({
  kind: 'user',
  userId: 'usr_1',
  name: 'Ana',
  email: 'ana@example.com',
  role,
  teams: new Map(teams),
  via: scopes ? 'token' : 'session',
  ...(scopes ? { tokenId: 'tok_1', scopes } : {}),
});

describe('roles', () => {
  it('opens a team object only to its members and to global admins', () => {
    expect(roleFor(user('responder', [['team_a', 'responder']]), 'team_a')).toBe('responder');
    expect(roleFor(user('responder', [['team_a', 'responder']]), 'team_b')).toBeNull();
    expect(roleFor(user('observer', [['team_a', 'admin']]), 'team_a')).toBe('admin');
    expect(roleFor(user('admin'), 'team_b')).toBe('admin');
  });

  it('uses the global role for objects that belong to no team', () => {
    expect(roleFor(user('observer', [['team_a', 'admin']]), null)).toBe('observer');
    expect(roleFor({ kind: 'anonymous' }, null)).toBeNull();
  });

  it('never lets a token do more than its scopes allow', () => {
    expect(roleFor(user('admin', [], ['read']), null)).toBe('observer');
    expect(roleFor(user('admin', [], ['read', 'write']), 'team_x')).toBe('responder');
    expect(roleFor(user('observer', [], ['admin']), null)).toBe('observer');
    expect(roleFor(user('admin', [], ['ingest']), null)).toBeNull();
  });

  it('limits a service token to its team', () => {
    const svc: Actor = {
      kind: 'service',
      tokenId: 'tok_2',
      name: 'ci',
      role: 'responder',
      teamId: 'team_a',
      scopes: ['read', 'write'],
    };
    expect(roleFor(svc, 'team_a')).toBe('responder');
    expect(roleFor(svc, 'team_b')).toBeNull();
    expect(roleFor(svc, null)).toBeNull();
    expect(highestRole(svc)).toBe('responder');
  });

  it('takes the highest of the global and team roles for the route gate', () => {
    expect(highestRole(user('stakeholder', [['t', 'responder']]))).toBe('responder');
    expect(highestRole(user('responder', [['t', 'observer']]))).toBe('responder');
  });
});
