import type { UpdateStatus } from '../../shared/ipc/contract';
import { installMoment, type WorkInProgress } from './install-moment';

export type { UpdateStatus };

/**
 * Updates in main (issue 16, point 1): look for one, download it in the background, and install
 * it only at a moment that cannot lose work. The updater itself (electron-updater,
 * electron-updater-port.ts) is behind UpdaterPort; this file holds the decisions.
 *
 * The page reports its work in progress (unsent outbox entries, a sync writing, unsaved input)
 * whenever it changes and at least every minute. A report older than `staleAfterMs` counts as
 * unknown, and unknown counts as work in progress: a page that stopped reporting never gets its
 * work installed over.
 */
export type UpdaterPort = Readonly<{
  /** Asks IT's feed; the version the updater will download, or null (none newer, not this installation's turn, or refused). */
  check(): Promise<string | null>;
  /** Downloads and verifies the version `check` found. Rejects on any failure, leaving nothing to install. */
  download(): Promise<void>;
  /** Whether quitting Relais installs the downloaded update (false until the moment allows it). */
  installOnQuit(allowed: boolean): void;
  /** Quits Relais and installs. */
  installNow(): void;
}>;

export type UpdateService = Readonly<{
  /** Looks for an update and downloads it; resolves with the status once done (never rejects). */
  check(): Promise<UpdateStatus>;
  status(): UpdateStatus;
  /** The page's work in progress, now. */
  reportWork(work: WorkInProgress): UpdateStatus;
  /** Installs the ready update if the moment allows it; otherwise the status says what it waits for. */
  install(): UpdateStatus;
  /** Relais is quitting: the updater installs now only if the moment allows it (a stale report does not). */
  beforeQuit(): void;
}>;

type Log = Readonly<{ info(message: string, fields?: Record<string, string>): void; warn(message: string, fields?: Record<string, string>): void }>;

export function createUpdateService(options: Readonly<{ port: UpdaterPort | null; now?: () => number; staleAfterMs?: number; log: Log }>): UpdateService {
  const { port, log } = options;
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? 3 * 60_000;
  let state: 'current' | 'checking' | 'downloading' | 'ready' | 'failed' = 'current';
  let version: string | null = null;
  let report: Readonly<{ work: WorkInProgress; at: number }> | null = null;

  const work = (): WorkInProgress | null => (report === null || now() - report.at > staleAfterMs ? null : report.work);
  const moment = () => installMoment(work());
  const status = (): UpdateStatus => {
    if (port === null) return { state: 'off' };
    if (state === 'downloading' && version !== null) return { state: 'downloading', version };
    if (state === 'ready' && version !== null) {
      const now = moment();
      return { state: 'ready', version, waitingFor: now.install ? [] : [...now.waitingFor] };
    }
    return state === 'failed' ? { state: 'failed' } : { state: 'current' };
  };
  /** The updater installs at quit only while the moment allows it. */
  const allowQuitInstall = (): void => port?.installOnQuit(state === 'ready' && moment().install);

  return {
    async check() {
      if (port === null || state === 'checking' || state === 'downloading' || state === 'ready') return status();
      state = 'checking';
      try {
        const found = await port.check();
        if (found === null) {
          state = 'current';
          return status();
        }
        version = found;
        state = 'downloading';
        await port.download();
        state = 'ready';
        log.info('update downloaded and verified', { version: found });
      } catch (error: unknown) {
        // Nothing was installed; the next check tries again.
        state = 'failed';
        log.warn('update check or download failed', { error: error instanceof Error ? error.message : String(error) });
      }
      allowQuitInstall();
      return status();
    },
    status,
    reportWork(next) {
      report = { work: next, at: now() };
      allowQuitInstall();
      return status();
    },
    install() {
      if (port !== null && state === 'ready' && moment().install) {
        log.info('installing update', { version: version ?? '' });
        port.installNow();
      }
      return status();
    },
    beforeQuit: allowQuitInstall,
  };
}
