/**
 * A remote wipe's steps, in their order: the device secret (after it nothing on disk opens), the
 * replica's keys and files, then whatever storage is left. Every step is attempted even when an
 * earlier one failed, the device secret twice, and the result says which steps did not complete:
 * a wipe that silently left the keychain entry would tell the clinician and IT it was done.
 */
export type WipeStep = 'device-secret' | 'replica' | 'local-data';

export type WipeResult = Readonly<{ complete: boolean; failed: readonly WipeStep[] }>;

export async function carryOutWipe(steps: Readonly<Record<WipeStep, () => Promise<void>>>): Promise<WipeResult> {
  const failed: WipeStep[] = [];
  const attempt = async (step: WipeStep, tries: number): Promise<void> => {
    for (let i = 0; i < tries; i += 1) {
      try {
        await steps[step]();
        return;
      } catch {
        // tried again below, or reported
      }
    }
    failed.push(step);
  };
  await attempt('device-secret', 2);
  await attempt('replica', 1);
  await attempt('local-data', 1);
  return { complete: failed.length === 0, failed };
}
