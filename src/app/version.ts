import { readFileSync } from 'node:fs';

/** The package version, read once; the server, the CLI and the OpenAPI document all show the same. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;
