// Whether Electron's safeStorage really seals: on Linux its 'basic_text' fallback encrypts with a password fixed in Chromium's source.
export type SafeStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface SealingFacts {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend(); only Linux has one. */
  backend?: SafeStorageBackend;
}

/** Why the data key must not be sealed here, or null when the OS keychain protects it. */
export function sealingRefusal(facts: SealingFacts): string | null {
  if (!facts.encryptionAvailable) return 'The OS keychain (safeStorage) is not available to seal the data key';
  if (facts.platform !== 'linux') return null;
  if (facts.backend === 'basic_text') {
    return "safeStorage fell back to 'basic_text', whose password is public: start the station in a desktop session with GNOME Keyring or KWallet (or pass --password-store=gnome-libsecret)";
  }
  if (facts.backend === undefined || facts.backend === 'unknown') return 'safeStorage could not name the keychain it uses; the data key is not sealed with an unknown backend';
  return null;
}
