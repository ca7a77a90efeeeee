import type { AppUpdater, UpdateInfo } from 'electron-updater';
import { feedChannelOf, refusalOf, type UpdatePolicy } from './update-policy';
import type { UpdaterPort } from './update-service';

type Log = Readonly<{ info(message: string, fields?: Record<string, string>): void; warn(message: string, fields?: Record<string, string>): void; error(message: string, fields?: Record<string, string>): void }>;

/**
 * electron-updater behind UpdaterPort. Main passes the platform's `autoUpdater` (NSIS on Windows,
 * Squirrel.Mac on macOS, AppImage or deb on Linux); the integration test passes the real deb updater
 * on a local feed, since the Electron runtime cannot run here.
 *
 * - The feed is IT's (`updates.feedUrl`, generic provider), the channel IT's; no downgrade, no
 *   pre-release outside the early channel.
 * - Nothing downloads or installs by itself: the service asks, and installs at quit only while
 *   `installOnQuit(true)` (install-moment.ts).
 * - On top of electron-updater's own checks (a newer version, the staged rollout, the SHA-512, the
 *   platform signature), a version other than the pinned one, or files on another server, are not
 *   taken (update-policy.ts `refusalOf`).
 */
export function electronUpdaterPort(updater: AppUpdater, policy: UpdatePolicy, log: Log): UpdaterPort {
  updater.setFeedURL({ provider: 'generic', url: policy.feedUrl, channel: feedChannelOf(policy.channel) });
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = policy.channel === 'early';
  updater.fullChangelog = false;
  updater.logger = { info: (message: unknown) => log.info(String(message)), warn: (message: unknown) => log.warn(String(message)), error: (message: unknown) => log.error(String(message)) };
  const ownRollout = updater.isUserWithinRollout;
  updater.isUserWithinRollout = async (info: UpdateInfo) => {
    const refusal = refusalOf(policy, info);
    if (refusal !== null) {
      log.warn('update not taken', { version: info.version, why: refusal });
      return false;
    }
    return ownRollout(info);
  };
  return {
    async check() {
      const result = await updater.checkForUpdates();
      return result !== null && result.isUpdateAvailable ? result.updateInfo.version : null;
    },
    async download() {
      await updater.downloadUpdate();
    },
    installOnQuit(allowed) {
      updater.autoInstallOnAppQuit = allowed;
    },
    installNow() {
      // Not silent: the installer shows its progress; Relais restarts on the new version.
      updater.quitAndInstall(false, true);
    },
  };
}
