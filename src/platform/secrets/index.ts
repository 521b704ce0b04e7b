export { SecretsError } from './errors.ts';
export { SecretKey, parseKey, parseKeyList, KEY_BYTES } from './secret-key.ts';
export { KEY_FILE_NAME } from './key-file.ts';
export { Keyring, loadKeyring, readKeyring, type KeySource, type KeyringConfig } from './keyring.ts';
export { createSecretBox, parseSealed, sealedKeyId, type SecretBox } from './secret-box.ts';
export {
  registerSecretColumns,
  secretColumns,
  secretColumn,
  columnName,
  type SecretColumn,
} from './columns.ts';
export { rotateSecrets, type ColumnRotation, type RotateOptions } from './rotation.ts';
export {
  countSealedByKey,
  countsByKey,
  countNotPrimary,
  keyringProblems,
  type ColumnInventory,
} from './inventory.ts';
export { rotateKeys, dropOldKeys, type KeyRotation } from './rollover.ts';
export { redactSecrets, isSecretKey, REDACTED } from './redact.ts';
