/**
 * Service catalog shared by the stages: services, owners, dependencies, SOP library, preparedness score.
 *
 * Other modules import this module through this file only. Empty in the foundation release.
 */
export {};
