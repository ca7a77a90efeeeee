import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { leaseVerdict, type LeaseVerdict } from '../../shared/security/offline-lease';
import { getOrCreateDeviceSecret } from '../secrets/device-secret';
import type { SecretStore } from '../secrets/secret-store';

/**
 * The offline lease's two times, kept together in the keychain and sealed (HMAC-SHA256 under a
 * key derived from the device secret): when the HIE last confirmed the clinician online, and the
 * latest time this laptop has seen. Main checks the seal and refuses a clock earlier than the
 * latest time seen, so neither editing the stored stamp nor setting the clock back to a day inside
 * the window keeps the lease alive. Whoever can read the device secret from the keychain could
 * forge a stamp; on Linux that is any program of the same user (docs/SECURITY.md says so).
 */
export const leaseStampAccount = 'last-online-auth';
/** Ordinary drift between two reads, and how far the latest time seen must move before it is rewritten. */
const driftMs = 5 * 60_000;

type Stamp = Readonly<{ v: 1; lastOnlineAuth: number; latestSeen: number; mac: string }>;

export type LeaseClock = Readonly<{
  /** The HIE confirmed the clinician (sign-in or refresh) at `now`. */
  confirmedOnline(now: number): Promise<void>;
  /** The lease at `now`: also moves the latest time seen forward. A broken seal reads as never authenticated. */
  verdict(now: number, leaseDays: number): Promise<LeaseVerdict>;
}>;

/** `account`: where the stamp is kept (another source's lease has its own, electron/sources/source-services.ts). */
export function createLeaseClock(secrets: SecretStore, account: string = leaseStampAccount): LeaseClock {
  const key = async (): Promise<Buffer> =>
    Buffer.from(hkdfSync('sha256', Buffer.from(await getOrCreateDeviceSecret(secrets), 'base64url'), Buffer.alloc(0), 'relais/lease/v1', 32));
  const macOf = (k: Buffer, lastOnlineAuth: number, latestSeen: number): string =>
    createHmac('sha256', k).update(`relais/lease/v1|${lastOnlineAuth}|${latestSeen}`).digest('base64url');
  const write = async (lastOnlineAuth: number, latestSeen: number): Promise<void> => {
    const stamp: Stamp = { v: 1, lastOnlineAuth, latestSeen, mac: macOf(await key(), lastOnlineAuth, latestSeen) };
    await secrets.set(account, JSON.stringify(stamp));
  };
  const read = async (): Promise<Stamp | null> => {
    const text = await secrets.get(account);
    if (text === null) return null;
    try {
      const value = JSON.parse(text) as Partial<Stamp>;
      if (value.v !== 1 || typeof value.lastOnlineAuth !== 'number' || typeof value.latestSeen !== 'number' || typeof value.mac !== 'string') return null;
      const expected = Buffer.from(macOf(await key(), value.lastOnlineAuth, value.latestSeen));
      const given = Buffer.from(value.mac);
      return expected.length === given.length && timingSafeEqual(expected, given) ? (value as Stamp) : null;
    } catch {
      return null;
    }
  };
  return {
    async confirmedOnline(now) {
      const previous = await read();
      await write(now, Math.max(now, previous?.latestSeen ?? now));
    },
    async verdict(now, leaseDays) {
      const stamp = await read();
      if (stamp === null) return { state: 'expired', reason: 'never-authenticated' };
      if (now < stamp.latestSeen - driftMs) return { state: 'expired', reason: 'clock-set-back' };
      const verdict = leaseVerdict(stamp.lastOnlineAuth, now, leaseDays);
      if (now > stamp.latestSeen + driftMs) await write(stamp.lastOnlineAuth, now);
      return verdict;
    },
  };
}
