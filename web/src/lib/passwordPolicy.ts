/** The password policy in one line, as the server enforces it (src/identity/password-policy.ts). */
export const PASSWORD_HINT = 'At least 12 characters; a passphrase works well.';
export const MIN_PASSWORD_LENGTH = 12;
