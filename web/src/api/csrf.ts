/**
 * The CSRF token of the current session. The session cookie is HttpOnly, so scripts never see it; the server
 * hands this token to our own pages (sign-in, setup, GET /api/v1/auth/session) and wants it back on every write.
 */
let current: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  current = token === '' ? undefined : token;
}

export function csrfToken(): string | undefined {
  return current;
}
