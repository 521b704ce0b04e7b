/**
 * Users, teams, roles, sessions, API tokens, audit log and secrets at rest.
 *
 * Other modules import this module through this file only. Empty in the foundation release.
 */
export {};
