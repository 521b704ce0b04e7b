/**
 * Why an SSO sign-in did not happen. The code travels to the sign-in page as `/login?error=<code>` (the page
 * shows the message); the reason, which may name the provider's own error, goes only to the audit log.
 */
export const SSO_ERROR_CODES = [
  'provider_unavailable',
  'state_invalid',
  'state_expired',
  'idp_error',
  'token_invalid',
  'no_email',
  'email_unverified',
  'account_conflict',
  'no_account',
  'no_role',
  'account_deactivated',
  'sso_failed',
] as const;

export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];

export class SsoFailure extends Error {
  readonly code: SsoErrorCode;
  /** The user the attempt concerned, when known. */
  readonly userId: string | undefined;

  constructor(code: SsoErrorCode, reason: string, userId?: string) {
    super(reason);
    this.name = 'SsoFailure';
    this.code = code;
    this.userId = userId;
  }
}

export function failLogin(code: SsoErrorCode, reason: string, userId?: string): never {
  throw new SsoFailure(code, reason, userId);
}

export const loginErrorPath = (code: SsoErrorCode): string => `/login?error=${code}`;
