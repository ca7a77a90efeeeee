/**
 * One request at a time touches the repository. The MemoryRepository is synchronous inside,
 * but a transaction spans awaits: without this, another request could read its uncommitted
 * entries or interleave with its rollback.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release: () => void = () => undefined;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
