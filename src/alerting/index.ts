/**
 * Stage 2 — Alerting: ingestion (Alertmanager, PagerDuty Events v2, webhooks), dedup, routing, grouping into incidents, silences.
 *
 * Other modules import this module through this file only. Empty in the foundation release.
 */
export {};
