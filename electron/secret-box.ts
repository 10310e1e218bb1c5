/**
 * The Redis password of the Settings view, encrypted with the operating system's key store
 * through Electron's `safeStorage` (Keychain on macOS, DPAPI on Windows, the Secret Service or
 * KWallet on Linux). Where that store is missing — Linux without a keyring falls back to
 * `basic_text`, a fixed key that protects nothing — `available()` is false and the lab keeps the
 * password in `<home>/settings.json` (mode 0600) and says so in the view. Use after app ready.
 */
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../main/lab/settings-file.js';

/** A `SecretBox` over `safeStorage`; `platform` is `process.platform` (a parameter for tests). */
export function safeStorageSecrets(
  safeStorage: Pick<
    SafeStorage,
    'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
  >,
  platform: NodeJS.Platform = process.platform,
): SecretBox {
  return {
    available: () =>
      safeStorage.isEncryptionAvailable() &&
      (platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  };
}
