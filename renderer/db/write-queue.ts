/**
 * The replica's writes run one at a time. Each operation is several writes across collections
 * (outbox, then resource, then conflict…) whose order is what makes a crash recoverable; two
 * operations interleaving at their awaits (a pulled page landing while the clinician saves) could
 * break that order. Reads do not queue.
 */
export type WriteQueue = Readonly<{
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves when everything queued so far has settled. */
  idle(): Promise<void>;
}>;

export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = tail.then(task);
      // A failed task fails its caller only; the next one still runs.
      tail = result.catch(() => undefined);
      return result;
    },
    async idle() {
      await tail;
    },
  };
}
