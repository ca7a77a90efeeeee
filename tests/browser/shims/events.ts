/**
 * Node's `events` for the browser bundle: pouchdb-core (bench comparison only) imports it and has
 * no browser mapping. The subset PouchDB uses: on/once/off, emit, listeners, listenerCount.
 * PouchDB copies the prototype's enumerable methods onto its constructor, and may call them on
 * objects that never ran this constructor: so the methods are made enumerable, and the listener
 * table is created on first use.
 */
type Listener = (...args: unknown[]) => void;

const table = Symbol('listeners');

type WithTable = { [table]?: Map<string, Listener[]> };

function listenersOf(emitter: object): Map<string, Listener[]> {
  const holder = emitter as WithTable;
  holder[table] ??= new Map();
  return holder[table];
}

export default class EventEmitter {
  static listenerCount(emitter: EventEmitter, type: string): number {
    return emitter.listenerCount(type);
  }

  on(type: string, listener: Listener): this {
    const all = listenersOf(this);
    all.set(type, [...(all.get(type) ?? []), listener]);
    return this;
  }

  addListener(type: string, listener: Listener): this {
    return this.on(type, listener);
  }

  once(type: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(type, wrapped);
      listener.apply(this, args);
    };
    return this.on(type, wrapped);
  }

  removeListener(type: string, listener: Listener): this {
    const all = listenersOf(this);
    const list = (all.get(type) ?? []).filter((l) => l !== listener);
    if (list.length > 0) all.set(type, list);
    else all.delete(type);
    return this;
  }

  off(type: string, listener: Listener): this {
    return this.removeListener(type, listener);
  }

  removeAllListeners(type?: string): this {
    if (type === undefined) listenersOf(this).clear();
    else listenersOf(this).delete(type);
    return this;
  }

  emit(type: string, ...args: unknown[]): boolean {
    const list = listenersOf(this).get(type);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listeners(type: string): Listener[] {
    return [...(listenersOf(this).get(type) ?? [])];
  }

  listenerCount(type: string): number {
    return listenersOf(this).get(type)?.length ?? 0;
  }

  setMaxListeners(_count: number): this {
    return this;
  }
}

for (const name of Object.getOwnPropertyNames(EventEmitter.prototype)) {
  if (name !== 'constructor') Object.defineProperty(EventEmitter.prototype, name, { enumerable: true });
}

export { EventEmitter };
