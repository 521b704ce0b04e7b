/**
 * Stage 4 — Post-Mortem Investigation \& Resolution: drafts from the timeline, action items, reports.
 *
 * Other modules import this module through this file only. Empty in the foundation release.
 */
export {};
