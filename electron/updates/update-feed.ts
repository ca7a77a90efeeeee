import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { load } from 'js-yaml';
import { z } from 'zod';
import { isSecureOrLoopback } from '../../shared/security/secure-url';

/**
 * The update feed IT hosts (issue 16, point 1), in electron-builder's "generic" format, which
 * electron-updater reads: `<feed>/<channel>.yml` (`latest.yml` for stable, `early.yml` for the
 * early channel; `-mac` / `-linux` suffixes per platform), naming the version, its files with their
 * size and SHA-512, and optionally `stagingPercentage` for a staged rollout. Relais decides from it,
 * and from IT's policy, whether an update is offered to this installation; it downloads beside the
 * app, checks the SHA-512 and size, and only a complete, verified file becomes "ready". Installing
 * is the updater's (electron-updater behind the UpdaterPort in main, where the platform's own
 * signature check also runs: see docs/OPERATIONS.md for which platform checks what).
 */
const feedSchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/),
  files: z.array(z.object({ url: z.string().min(1).max(500), sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/), size: z.number().int().positive() })).min(1),
  releaseDate: z.string().optional(),
  stagingPercentage: z.number().min(0).max(100).optional(),
});
export type UpdateFeed = z.infer<typeof feedSchema>;

/** IT's update policy (`updates` in the policy): where, which channel, whether at all, a pinned version. */
export const updatePolicySchema = z
  .object({
    /** The feed's base URL (https, or http on this computer only; no credentials): IT's web server. */
    feedUrl: z.string().url().max(2000).refine((url) => isSecureOrLoopback(url) && new URL(url).username === '' && new URL(url).password === '', { message: 'https, without credentials' }),
    channel: z.enum(['stable', 'early']).default('stable'),
    /** false: no update is looked for (IT deploys versions itself). */
    enabled: z.boolean().default(true),
    /** This version only: a newer one in the feed is not offered (IT moves the pin to roll forward). */
    pinnedVersion: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/).optional(),
  })
  .strict();
export type UpdatePolicy = z.infer<typeof updatePolicySchema>;

export class UpdateFeedError extends Error {
  constructor(readonly reason: 'unreachable' | 'malformed' | 'insecure' | 'incomplete' | 'checksum') {
    super(`update feed: ${reason}`);
    this.name = 'UpdateFeedError';
  }
}

/** The feed file of a channel for a platform, as electron-builder names it. */
export function feedFileOf(channel: UpdatePolicy['channel'], platform: string): string {
  const name = channel === 'stable' ? 'latest' : 'early';
  return platform === 'darwin' ? `${name}-mac.yml` : platform === 'linux' ? `${name}-linux.yml` : `${name}.yml`;
}

/** Orders two versions (semantic versioning: a pre-release is below its release). */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.split('-', 2);
  const [coreB = '', preB] = b.split('-', 2);
  const partsA = coreA.split('.').map(Number);
  const partsB = coreB.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if ((partsA[i] ?? 0) !== (partsB[i] ?? 0)) return (partsA[i] ?? 0) - (partsB[i] ?? 0);
  if (preA === undefined || preB === undefined) return preA === undefined ? (preB === undefined ? 0 : 1) : -1;
  return preA.localeCompare(preB, 'en', { numeric: true });
}

/** Where this installation falls in a staged rollout, 0–99, from its own random id (kept in the settings). */
export const rolloutSlot = (installId: string): number => createHash('sha256').update(installId).digest().readUInt32BE(0) % 100;

export type UpdateOffer = Readonly<{ offered: true; version: string; file: UpdateFeed['files'][number] }> | Readonly<{ offered: false; why: 'disabled' | 'current' | 'pinned' | 'staged' }>;

/** Is the feed's version offered to this installation? */
export function updateOffer(policy: UpdatePolicy, feed: UpdateFeed, currentVersion: string, installId: string): UpdateOffer {
  if (!policy.enabled) return { offered: false, why: 'disabled' };
  if (compareVersions(feed.version, currentVersion) <= 0) return { offered: false, why: 'current' };
  if (policy.pinnedVersion !== undefined && feed.version !== policy.pinnedVersion) return { offered: false, why: 'pinned' };
  if (feed.stagingPercentage !== undefined && rolloutSlot(installId) >= feed.stagingPercentage) return { offered: false, why: 'staged' };
  return { offered: true, version: feed.version, file: feed.files[0] as UpdateFeed['files'][number] };
}

/** Reads the channel's feed from IT's server (https, no redirect, at most 1 MB). */
export async function readFeed(policy: UpdatePolicy, platform: string, fetchImpl: typeof fetch = fetch): Promise<UpdateFeed> {
  const url = new URL(feedFileOf(policy.channel, platform), policy.feedUrl.endsWith('/') ? policy.feedUrl : `${policy.feedUrl}/`);
  let text: string;
  try {
    const response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new UpdateFeedError('unreachable');
    text = await response.text();
  } catch (error: unknown) {
    if (error instanceof UpdateFeedError) throw error;
    throw new UpdateFeedError('unreachable');
  }
  if (text.length > 1024 * 1024) throw new UpdateFeedError('malformed');
  try {
    return feedSchema.parse(load(text));
  } catch {
    throw new UpdateFeedError('malformed');
  }
}

/**
 * Downloads the offered file next to `into` and checks its size and SHA-512 as it arrives. Only a
 * complete file whose checksum matches is moved to its final name; a failed, cut or altered download
 * leaves nothing behind (and changes nothing of what is installed).
 */
export async function downloadUpdate(policy: UpdatePolicy, file: UpdateFeed['files'][number], into: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = new URL(file.url, policy.feedUrl.endsWith('/') ? policy.feedUrl : `${policy.feedUrl}/`);
  // The installer comes from IT's server only (a feed naming another host is refused).
  if (url.origin !== new URL(policy.feedUrl).origin || !isSecureOrLoopback(url.href)) throw new UpdateFeedError('insecure');
  await mkdir(dirname(into), { recursive: true });
  const partial = join(dirname(into), `.${randomUUID()}.part`);
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(30 * 60_000) });
    } catch {
      throw new UpdateFeedError('unreachable');
    }
    if (!response.ok || response.body === null) throw new UpdateFeedError('unreachable');
    const hash = createHash('sha512');
    let size = 0;
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
      if (size > file.size) body.destroy(new UpdateFeedError('incomplete'));
    });
    await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
    if (size !== file.size) throw new UpdateFeedError('incomplete');
    if (hash.digest('base64') !== file.sha512) throw new UpdateFeedError('checksum');
    await rename(partial, into);
    return into;
  } catch (error: unknown) {
    await rm(partial, { force: true });
    if (error instanceof UpdateFeedError) throw error;
    throw new UpdateFeedError('incomplete');
  }
}
