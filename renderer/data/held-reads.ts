/**
 * (Data worker; imports nothing.)
 * Reads the page holds by token (the patient list's rows, the coordination model). The page sends
 * the token of what it holds; the data side answers with nothing when that is still what it would
 * build, so an unchanged read costs the page no copy across the port and no redraw.
 *
 * Two checks, cheapest first: the read's inputs (type revisions and the like) have not moved, so
 * nothing is built; or it was built again and came out the same (the minute moved, a sync wrote
 * rows that change nothing shown): it keeps its token. At 2M the rows and the model built again
 * each minute, identical, were the page's periodic long tasks.
 */
export type HeldAnswer<T> = Readonly<{ token: number; value: T | null }>;

export type HeldReads<Owner extends object> = Readonly<{
  /** `inputs`: what the value is built from, read when its turn comes ('' when that cannot be told: always built, compared). `known`: the page's token. */
  read<T>(owner: Owner, name: string, inputs: () => string, known: number | null, build: () => Promise<T>): Promise<HeldAnswer<T>>;
}>;

type Built = Readonly<{ inputs: string; token: number; digest: string }>;
type Slot = { built: Built | null; queue: Promise<unknown> };

export function createHeldReads<Owner extends object>(): HeldReads<Owner> {
  const last = new WeakMap<Owner, Map<string, Slot>>();
  // One count for every read and owner: a token names one value, never another read's or another replica's.
  let tokens = 0;
  return {
    read(owner, name, inputs, known, build) {
      let byName = last.get(owner);
      if (byName === undefined) {
        byName = new Map();
        last.set(owner, byName);
      }
      let slot = byName.get(name);
      if (slot === undefined) {
        slot = { built: null, queue: Promise.resolve() };
        byName.set(name, slot);
      }
      const held = slot;
      // One at a time per read: a build of older data can never settle after a newer one.
      const answer = held.queue.then(async () => {
        const before = held.built;
        const now = inputs();
        if (before !== null && now !== '' && before.inputs === now && known === before.token) return { token: before.token, value: null };
        const value = await build();
        const digest = JSON.stringify(value);
        const token = before !== null && before.digest === digest ? before.token : (tokens += 1);
        held.built = { inputs: now, token, digest };
        return known === token ? { token, value: null } : { token, value };
      });
      held.queue = answer.catch(() => undefined);
      return answer;
    },
  };
}
