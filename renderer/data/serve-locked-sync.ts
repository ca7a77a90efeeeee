import { utf8 } from '../../shared/crypto/bytes';
import { importInboxPublicKey, sealBox } from '../../shared/crypto/sealed-box';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { SyncStop } from '../../shared/hie/errors';
import { hostContract } from '../../shared/ipc/host-contract';
import { createPortClient, PortError, servePort, type PortCode, type PortLike } from '../../shared/ipc/port-rpc';
import { retryDelayMs } from '../../shared/sync/backoff';
import { lockedPass, type InboxOp } from '../../shared/sync/locked-pull';
import { deleteReplicaFiles } from '../db/erase';
import { openInbox } from '../db/inbox';
import { isStorageFull } from '../db/storage-full';
import { lockedContract, type LockedContract, type LockedState } from './locked-contract';
import { hostTimeoutMs, transportOver } from './host-transport';
import { carryOutWipe } from './wipe';

/**
 * The sync while the screen is locked, as it runs in its own worker (data/locked-sync-worker.ts),
 * started by the page at lock with the closing session's handover. It never had the vault's keys:
 * it can seal what it receives to the inbox's public key and never open it, nor anything in the
 * replica. It pulls every type to the end (shared/sync/locked-pull.ts), then polls; it stops at
 * a 401 (the clinician signs in after unlocking) or a full disk, and on a wipe order it erases
 * the device secret, the replica's files and local storage, as an unlocked session would.
 * Ended (terminated) at unlock: a box half-written is no box, and the next sync fetches it again.
 */
export type LockedSyncOptions = Readonly<{
  port: PortLike;
  host: PortLike;
  crypto: WebCrypto;
  random?: () => number;
  onProblem?: (code: PortCode, name: string | null) => void;
}>;

const offlineRetryMs = 30_000;
const defaultPollMs = 60_000;

type AfterFailure =
  | Readonly<{ kind: 'wait'; state: 'offline' | 'retrying'; waitMs: number }>
  | Readonly<{ kind: 'stop'; state: 'sign-in' | 'storage-full' }>
  | Readonly<{ kind: 'wipe' }>;

/** After a pass that failed (the `failures`-th in a row): wait for the network or retry with backoff, stop with a sentence, or wipe. */
export function afterFailure(error: unknown, failures: number, random: () => number): AfterFailure {
  if (error instanceof SyncStop && error.code === 'OFFLINE') return { kind: 'wait', state: 'offline', waitMs: offlineRetryMs };
  // The clinician signs in again after unlocking; the locked screen says so.
  if (error instanceof SyncStop && error.code === 'AUTH_REQUIRED') return { kind: 'stop', state: 'sign-in' };
  if (error instanceof SyncStop && error.code === 'WIPE_REQUIRED') return { kind: 'wipe' };
  if (isStorageFull(error)) return { kind: 'stop', state: 'storage-full' };
  return { kind: 'wait', state: 'retrying', waitMs: retryDelayMs(failures, error instanceof SyncStop ? error.retryAfterMs : null, random) };
}

export function serveLockedSync(options: LockedSyncOptions): void {
  const platform = createPortClient(hostContract, options.host, { timeoutMs: hostTimeoutMs, ...(options.onProblem === undefined ? {} : { onProblem: options.onProblem }) });
  const transport = transportOver((r) => platform.call('hieSend', r));
  let started = false;
  let online = true;
  let wake: (() => void) | null = null;
  /** Waits `ms`, or until the network comes back. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const server = servePort<LockedContract>(
    lockedContract,
    options.port,
    {
      start: async (request) => {
        if (started) throw new PortError('ALREADY_STARTED');
        started = true;
        online = request.online;
        const inbox = await openInbox(request.replicaName);
        const publicKey = await importInboxPublicKey(options.crypto, request.handover.inboxPublicKey);
        const append = async (op: InboxOp): Promise<void> => inbox.append(await sealBox(options.crypto, publicKey, utf8(JSON.stringify(op)), request.replicaName));
        let received = 0;
        const tell = (state: LockedState): void => {
          try {
            server.emit('progress', { received, state });
          } catch {
            options.onProblem?.('BAD_RESPONSE', null);
          }
        };
        const checkpoints = new Map(request.handover.checkpoints);
        const history = { started: request.handover.historyStarted };
        const loop = async (): Promise<void> => {
          let failures = 0;
          for (;;) {
            if (!online) {
              tell('offline');
              await pause(offlineRetryMs);
              continue;
            }
            const before = received;
            tell('receiving');
            try {
              const passed = await lockedPass({
                transport,
                practitioner: request.owner.practitioner,
                fhirBase: request.owner.fhirBase,
                checkpoints,
                history,
                append,
                onPage: (n) => {
                  received = before + n;
                  tell('receiving');
                },
              });
              received = before + passed;
              failures = 0;
              tell('caught-up');
              await pause(request.pollMs ?? defaultPollMs);
            } catch (error: unknown) {
              const next = afterFailure(error, (failures += 1), options.random ?? Math.random);
              if (next.kind === 'wipe') {
                inbox.close();
                const result = await carryOutWipe({
                  'device-secret': async () => void (await platform.call('eraseDeviceSecrets', {})),
                  replica: async () => void (await deleteReplicaFiles(request.replicaName)),
                  'local-data': async () => void (await platform.call('eraseLocalData', {})),
                });
                server.emit('wiped', { complete: result.complete, failed: [...result.failed] });
                return;
              }
              tell(next.state);
              if (next.kind === 'stop') return;
              await pause(next.waitMs);
            }
          }
        };
        // A loop that stops (sign-in, full disk, wipe) lets the inbox go; at unlock the worker is ended anyway.
        void loop().finally(() => inbox.close());
        return null;
      },
      network: async ({ online: next }) => {
        online = next;
        if (next) wake?.();
        return null;
      },
    },
    options.onProblem,
  );
}
