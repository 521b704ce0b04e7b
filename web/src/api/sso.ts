import { queryOptions } from '@tanstack/react-query';
import { expectArray, getJson } from './client.ts';

export interface SignInProvider {
  slug: string;
  displayName: string;
  /** Where the browser goes to start the sign-in; append `?returnTo=/path`. */
  startUrl: string;
}

export const signInProvidersQuery = queryOptions({
  queryKey: ['sso', 'sign-in-providers'],
  queryFn: async () =>
    expectArray<SignInProvider>('/api/v1/auth/sso/providers', await getJson('/api/v1/auth/sso/providers')),
  staleTime: 60_000,
});

/** What a failed single sign-on means for the person at the sign-in page (codes from the server's redirect). */
export const SSO_ERROR_TEXT: Record<string, string> = {
  provider_unavailable:
    'This sign-in method is not available right now. Try again later or ask an administrator.',
  state_invalid: 'This sign-in link is not valid or was already used. Start the sign-in again.',
  state_expired: 'The sign-in took too long. Start it again.',
  idp_error: 'Your identity provider did not sign you in.',
  token_invalid: 'The answer from your identity provider could not be verified.',
  no_email: 'Your identity provider did not share your email address, which Siaga needs.',
  email_unverified:
    'A Siaga account with your email exists, but your identity provider has not verified that email, so it cannot be linked.',
  account_conflict: 'The Siaga account with your email is linked to another sign-in identity.',
  no_account: 'There is no Siaga account for you. Ask an administrator to create one.',
  no_role:
    'None of your groups gives access to Siaga. Ask an administrator to map one of your groups to a role.',
  account_deactivated: 'Your Siaga account is deactivated.',
  sso_failed: 'Single sign-on failed. Try again.',
};
