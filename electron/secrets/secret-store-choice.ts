import type { Logger } from '../log/logger';
import { SecretStoreError, type SecretStore } from './secret-store';
import { migrateSecrets } from './secret-store-migration';

export type SecretStoreChoice = 'keychain' | 'safeStorage';

/**
 * What is read and written of the settings file: electron/settings/settings-file.ts's SettingsFile
 * fits it (that folder is of this one's layer, so its type is described here, not imported).
 */
export type SecretStoreRecord = Readonly<{
  read(): Promise<Readonly<{ secretStore?: SecretStoreChoice | undefined }>>;
  update(change: Readonly<{ secretStore: SecretStoreChoice }>): Promise<unknown>;
}>;

export type OpenSecretStoreOptions = Readonly<{
  choice: SecretStoreChoice;
  keychain: SecretStore;
  /** Made only when it is chosen or holds the secrets, so a keychain user's start never touches safeStorage. */
  safeStorage: () => SecretStore;
  /**
   * Whether safeStorage's secrets file is there. With nothing recorded (an older release, or a settings
   * file lost or damaged since, which reads as defaults), the file is what says the secrets were moved there.
   */
  safeStorageFileExists?: () => boolean;
  settings: SecretStoreRecord;
  log: Logger;
}>;

const where: Readonly<Record<SecretStoreChoice, string>> = {
  keychain: 'the OS keychain',
  safeStorage: "the secrets file encrypted with Electron's safeStorage",
};

/**
 * The chosen store, once the secrets are in it. The settings record which store holds them; when
 * that is not the chosen one they are moved (migrateSecrets), and the choice is recorded only once
 * the move is complete, so a stopped move is finished at the next start. A recorded store that
 * cannot be reached is an error, never an empty start: a new device secret would lose the replica.
 */
export async function openSecretStore({ choice, keychain, safeStorage, safeStorageFileExists, settings, log }: OpenSecretStoreOptions): Promise<SecretStore> {
  const recorded = (await settings.read()).secretStore;
  // Older releases recorded nothing and always used the keychain; a secrets file says a release since moved them.
  const current = recorded ?? (safeStorageFileExists?.() === true ? 'safeStorage' : 'keychain');
  let safeStorageStore: SecretStore | undefined;
  const storeOf = (which: SecretStoreChoice): SecretStore => (which === 'keychain' ? keychain : (safeStorageStore ??= safeStorage()));
  const to = storeOf(choice);
  if (current === choice) return to;
  const from = storeOf(current);
  try {
    await from.list();
  } catch (error: unknown) {
    if (!(error instanceof SecretStoreError)) throw error;
    if (recorded === undefined && error.code === 'KEYCHAIN_UNAVAILABLE') {
      // Nothing recorded and no keychain to read: nothing to move. Logged, for IT, in case the keychain was only locked.
      log.warn('no secret store recorded and the OS keychain is unreachable: nothing to move', { to: choice, code: error.code });
      await settings.update({ secretStore: choice });
      return to;
    }
    throw new SecretStoreError(
      error.code,
      `Relais's secrets (the device secret that opens the replica, the sign-in tokens) are in ${where[current]}, and Relais is set to ` +
        `move them to ${where[choice]}, but ${where[current]} cannot be reached. Unlock it or make it reachable, then start Relais again: ` +
        `Relais will not start on an empty store, which would lose the replica. ${error.message}`,
    );
  }
  const moved = await migrateSecrets(from, to);
  await settings.update({ secretStore: choice });
  log.info('moved the secrets to the chosen store', { from: current, to: choice, count: moved.length });
  return to;
}
