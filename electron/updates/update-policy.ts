import { z } from 'zod';
import { isSecureOrLoopback } from '../../shared/security/secure-url';

/**
 * IT's update policy (`updates` in the policy; issue 16, point 1) and the checks Relais adds to
 * electron-updater's. The feed is electron-builder's "generic" layout on IT's web server:
 * `<feedUrl>/latest.yml` (`latest-mac.yml`, `latest-linux.yml`) for the stable channel and
 * `early*.yml` for the early one, naming the version, its files with their size and SHA-512, and
 * optionally `stagingPercentage`. electron-updater reads it, keeps the staged rollout (a stable
 * random id per installation), downloads, checks the SHA-512 (and, on Windows and macOS, the
 * platform's signature: docs/OPERATIONS.md) and installs; Relais decides which version may come
 * (pin, same server) and when it may be installed (install-moment.ts).
 */
const versionPattern = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export const updatePolicySchema = z
  .object({
    /** The feed's base URL (https, or http on this computer only; no credentials): IT's web server. */
    feedUrl: z.string().url().max(2000).refine((url) => isSecureOrLoopback(url) && new URL(url).username === '' && new URL(url).password === '', { message: 'https, without credentials' }),
    channel: z.enum(['stable', 'early']).default('stable'),
    /** false: no update is looked for (IT deploys versions itself). */
    enabled: z.boolean().default(true),
    /** This version only: a newer one in the feed is not taken (IT moves the pin to roll forward). */
    pinnedVersion: z.string().regex(versionPattern).optional(),
  })
  .strict();
export type UpdatePolicy = z.infer<typeof updatePolicySchema>;

/** electron-updater's name for a channel's feed file (`latest` is its stable channel). */
export const feedChannelOf = (channel: UpdatePolicy['channel']): string => (channel === 'stable' ? 'latest' : 'early');

/** What the feed announces, as far as Relais's checks need it. */
export type AnnouncedUpdate = Readonly<{ version: string; files: readonly Readonly<{ url: string }>[] }>;

/**
 * Why Relais refuses a version electron-updater would take, or null when it does not: another
 * version than the pinned one, or a file to fetch from another server than IT's feed (a feed
 * naming another host could hand out anything, with a checksum of its choosing), or not https.
 */
export function refusalOf(policy: UpdatePolicy, update: AnnouncedUpdate): 'pinned' | 'elsewhere' | null {
  if (policy.pinnedVersion !== undefined && update.version !== policy.pinnedVersion) return 'pinned';
  const base = new URL(policy.feedUrl.endsWith('/') ? policy.feedUrl : `${policy.feedUrl}/`);
  for (const file of update.files) {
    let url: URL;
    try {
      url = new URL(file.url, base);
    } catch {
      return 'elsewhere';
    }
    if (url.origin !== base.origin || !isSecureOrLoopback(url.href)) return 'elsewhere';
  }
  return null;
}
