import type * as oidc from 'openid-client';
import { HOUR, type EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import { SSO_CLIENT_SECRET } from './columns.ts';
import type { SsoProviderRow } from './model.ts';
import { allowsPlainHttp } from './validate.ts';

type OpenIdClient = typeof oidc;
let client: Promise<OpenIdClient> | undefined;

/** openid-client, loaded on the first SSO sign-in: a server nobody signs into through SSO never pays for it. */
export function loadOpenIdClient(): Promise<OpenIdClient> {
  client ??= import('openid-client');
  return client;
}

/** How long discovered provider metadata is reused before it is fetched again. */
const DISCOVERY_TTL_MS = HOUR;
/** Seconds each request to a provider may take. */
const REQUEST_TIMEOUT_S = 10;

interface Discovered {
  readonly issuer: string;
  readonly metadata: oidc.ServerMetadata;
  readonly at: EpochMs;
  jwks?: oidc.ExportedJWKSCache;
}

/**
 * Discovery results per provider, in memory on each node. Only public metadata (endpoints, supported
 * algorithms) and the provider's public keys are kept here, never the client secret: a Configuration with the
 * secret is built per sign-in from the row.
 */
const discovered = new Map<string, Discovered>();

/** Drops what is known about a provider (after it is changed or deleted). */
export function forgetDiscovery(providerId: string): void {
  discovered.delete(providerId);
}

/**
 * openid-client refuses plain-HTTP issuers. Its `allowInsecureRequests` is passed only for an issuer on a
 * loopback address (127.0.0.0/8, ::1, localhost): a provider on this very machine, as in development and in the
 * end-to-end tests. Any other issuer must be HTTPS (checkIssuer refuses it when the provider is saved).
 */
const insecureIfLoopback = (lib: OpenIdClient, issuer: string) =>
  allowsPlainHttp(issuer) ? [lib.allowInsecureRequests] : [];

/**
 * The openid-client Configuration for one sign-in: discovery (cached per provider) plus the client's
 * credentials, opened from the row. Performs network I/O, so never call it inside a transaction.
 */
export async function clientConfiguration(ctx: Ctx, row: SsoProviderRow): Promise<oidc.Configuration> {
  const lib = await loadOpenIdClient();
  const now = ctx.clock.now();
  let known = discovered.get(row.id);
  if (!known || known.issuer !== row.issuer || now - known.at >= DISCOVERY_TTL_MS) {
    const found = await lib.discovery(new URL(row.issuer), row.client_id, undefined, undefined, {
      timeout: REQUEST_TIMEOUT_S,
      execute: insecureIfLoopback(lib, row.issuer),
    });
    known = { issuer: row.issuer, metadata: { ...found.serverMetadata() }, at: now };
    discovered.set(row.id, known);
  }
  const secret = ctx.secrets.open(row.client_secret, SSO_CLIENT_SECRET.aad(row.id));
  const config = new lib.Configuration(
    known.metadata,
    row.client_id,
    undefined,
    lib.ClientSecretBasic(secret),
  );
  config.timeout = REQUEST_TIMEOUT_S;
  for (const fn of insecureIfLoopback(lib, row.issuer)) fn(config);
  if (known.jwks) lib.setJwksCache(config, known.jwks);
  return config;
}

/** Keeps the provider's public keys fetched during a sign-in for the next one. */
export async function rememberKeys(row: SsoProviderRow, config: oidc.Configuration): Promise<void> {
  const known = discovered.get(row.id);
  const jwks = (await loadOpenIdClient()).getJwksCache(config);
  if (known && known.issuer === row.issuer && jwks) known.jwks = jwks;
}
