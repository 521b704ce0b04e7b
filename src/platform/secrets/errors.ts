/**
 * A problem with keys or sealed secrets that an operator can fix (a missing or unreadable key file, a key that is
 * not in the keyring, a tampered value). The message is one line and never contains key material or plaintext.
 */
export class SecretsError extends Error {
  override readonly name = 'SecretsError';
}
