import type { SettingsFile } from '../settings/settings-file';
import type { SessionStore } from './session';

/** Who is signed in, kept in the user's settings file (tokens never are). */
export function sessionStoreIn(settings: SettingsFile): SessionStore {
  return {
    load: async () => (await settings.read()).session,
    save: async (session) => {
      await settings.update({ session });
    },
  };
}
