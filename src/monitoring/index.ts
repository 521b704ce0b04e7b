/**
 * Stage 1 — Preparation \& Monitoring: synthetic monitors and heartbeats that feed alerting with alert events.
 *
 * Other modules import this module through this file only. Empty in the foundation release.
 */
export {};
