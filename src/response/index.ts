/**
 * Stage 3 — Triage \& Notify: on-call schedules, escalation, the notify pipeline and channels, incident command, status pages.
 *
 * Other modules import this module through this file only. Empty in the foundation release.
 */
export {};
