import { z } from 'zod';

/**
 * Calls and events over a message port, with the IPC contract's discipline (shared/ipc/contract.ts):
 * every method declares a zod request and response, every event a zod payload; the serving side
 * parses each request and each of its own answers, the calling side each answer and each event;
 * a failure crosses as a code, never as an Error or a message (an exception's text may carry
 * patient data). One contract object is the only declaration both sides build from.
 *
 * The port is anything with postMessage and message events: a Worker, the worker's own global
 * scope, a MessagePort (main ↔ data worker in Electron), Node's MessageChannel in unit tests.
 */
export type PortLike = Readonly<{
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}>;

export type MethodSpec = Readonly<{ request: z.ZodType; response: z.ZodType }>;

export type PortContract = Readonly<{
  methods: Readonly<Record<string, MethodSpec>>;
  events: Readonly<Record<string, z.ZodType>>;
  /** The domain codes a method may fail with, besides the protocol's own (portCodes). */
  codes: readonly string[];
}>;

/** The protocol's own codes: a request or answer off the contract, a handler failing unnamed, a closed port, no answer in time. */
export const portCodes = ['BAD_REQUEST', 'BAD_RESPONSE', 'INTERNAL', 'PORT_CLOSED', 'TIMEOUT'] as const;
export type PortCode = (typeof portCodes)[number];

export type MethodName<C extends PortContract> = keyof C['methods'] & string;
export type EventName<C extends PortContract> = keyof C['events'] & string;
export type RequestOf<C extends PortContract, M extends MethodName<C>> = z.input<C['methods'][M]['request']>;
export type ResponseOf<C extends PortContract, M extends MethodName<C>> = z.output<C['methods'][M]['response']>;
export type PayloadOf<C extends PortContract, E extends EventName<C>> = z.output<C['events'][E]>;
export type CodeOf<C extends PortContract> = C['codes'][number] | PortCode;

/** A failure with a code from the contract: the only error that crosses the port as itself. */
export class PortError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.name = 'PortError';
    this.code = code;
  }
}

const callSchema = z.object({ kind: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(64), request: z.unknown() }).strict();
const answerSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('answer'), id: z.number().int().nonnegative(), ok: z.literal(true), value: z.unknown() }).strict(),
  z.object({ kind: z.literal('answer'), id: z.number().int().nonnegative(), ok: z.literal(false), code: z.string().max(64) }).strict(),
]);
const eventSchema = z.object({ kind: z.literal('event'), name: z.string().max(64), payload: z.unknown() }).strict();

export type PortServer<C extends PortContract> = Readonly<{
  emit<E extends EventName<C>>(name: E, payload: PayloadOf<C, E>): void;
  close(): void;
}>;

export type Handlers<C extends PortContract> = { readonly [M in MethodName<C>]: (request: z.output<C['methods'][M]['request']>) => Promise<z.input<C['methods'][M]['response']>> };

/** Serves `handlers` on `port`. `onProblem` hears what was refused (a code only), for a log. */
export function servePort<C extends PortContract>(contract: C, port: PortLike, handlers: Handlers<C>, onProblem?: (code: PortCode, method: string | null) => void): PortServer<C> {
  const known = new Set<string>([...portCodes, ...contract.codes]);
  const listener = (event: { data: unknown }): void => {
    const call = callSchema.safeParse(event.data);
    if (!call.success) {
      onProblem?.('BAD_REQUEST', null);
      return; // not a call: nothing to answer
    }
    const { id, method } = call.data;
    // An answer structured clone refuses throws here, inside the handler's try below: the caller hears INTERNAL.
    const answer = (message: z.input<typeof answerSchema>): void => port.postMessage(message);
    const spec = Object.hasOwn(contract.methods, method) ? contract.methods[method] : undefined;
    const handler = spec === undefined ? undefined : (handlers as Record<string, (request: unknown) => Promise<unknown>>)[method];
    const request = spec?.request.safeParse(call.data.request);
    if (spec === undefined || handler === undefined || request === undefined || !request.success) {
      onProblem?.('BAD_REQUEST', spec === undefined ? null : method);
      answer({ kind: 'answer', id, ok: false, code: 'BAD_REQUEST' });
      return;
    }
    void (async () => {
      try {
        const value = spec.response.safeParse(await handler(request.data));
        if (!value.success) {
          onProblem?.('INTERNAL', method);
          answer({ kind: 'answer', id, ok: false, code: 'INTERNAL' });
          return;
        }
        answer({ kind: 'answer', id, ok: true, value: value.data });
      } catch (error: unknown) {
        const code = error instanceof PortError && known.has(error.code) ? error.code : 'INTERNAL';
        if (code === 'INTERNAL') onProblem?.('INTERNAL', method);
        answer({ kind: 'answer', id, ok: false, code });
      }
    })();
  };
  port.addEventListener('message', listener);
  return {
    emit(name, payload) {
      const parsed = contract.events[name]?.safeParse(payload);
      if (parsed === undefined || !parsed.success) throw new PortError('BAD_RESPONSE'); // a bug on this side: never sent
      port.postMessage({ kind: 'event', name, payload: parsed.data });
    },
    close() {
      port.removeEventListener('message', listener);
    },
  };
}

export type PortClient<C extends PortContract> = Readonly<{
  call<M extends MethodName<C>>(method: M, request: RequestOf<C, M>): Promise<ResponseOf<C, M>>;
  on<E extends EventName<C>>(name: E, listener: (payload: PayloadOf<C, E>) => void): () => void;
  /** The other side is gone (closed, or the worker died): every call waiting fails with `code`. */
  fail(code: PortCode): void;
  close(): void;
}>;

type Waiting = Readonly<{ method: string; resolve(value: unknown): void; reject(error: PortError): void; timer: unknown }>;

export type PortClientOptions = Readonly<{
  /** A call with no answer after this long fails with TIMEOUT (default: never). */
  timeoutMs?: number;
  timers?: Readonly<{ set(fn: () => void, ms: number): unknown; clear(handle: unknown): void }>;
  onProblem?: (code: PortCode, name: string | null) => void;
}>;

export function createPortClient<C extends PortContract>(contract: C, port: PortLike, options: PortClientOptions = {}): PortClient<C> {
  const known = new Set<string>([...portCodes, ...contract.codes]);
  const timers = options.timers ?? { set: (fn: () => void, ms: number): unknown => setTimeout(fn, ms), clear: (handle: unknown): void => clearTimeout(handle) };
  const waiting = new Map<number, Waiting>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let nextId = 0;
  let closedWith: PortCode | null = null;

  const settle = (id: number): Waiting | undefined => {
    const entry = waiting.get(id);
    if (entry === undefined) return undefined;
    waiting.delete(id);
    if (entry.timer !== undefined) timers.clear(entry.timer);
    return entry;
  };

  const listener = (event: { data: unknown }): void => {
    const answer = answerSchema.safeParse(event.data);
    if (answer.success) {
      const entry = settle(answer.data.id);
      if (entry === undefined) return;
      if (!answer.data.ok) {
        entry.reject(new PortError(known.has(answer.data.code) ? answer.data.code : 'BAD_RESPONSE'));
        return;
      }
      const value = contract.methods[entry.method]?.response.safeParse(answer.data.value);
      if (value === undefined || !value.success) {
        options.onProblem?.('BAD_RESPONSE', entry.method);
        entry.reject(new PortError('BAD_RESPONSE'));
        return;
      }
      entry.resolve(value.data);
      return;
    }
    const pushed = eventSchema.safeParse(event.data);
    if (!pushed.success || !Object.hasOwn(contract.events, pushed.data.name)) {
      options.onProblem?.('BAD_RESPONSE', null);
      return;
    }
    const payload = contract.events[pushed.data.name]?.safeParse(pushed.data.payload);
    if (payload === undefined || !payload.success) {
      options.onProblem?.('BAD_RESPONSE', pushed.data.name);
      return;
    }
    for (const each of listeners.get(pushed.data.name) ?? []) each(payload.data as never);
  };
  port.addEventListener('message', listener);

  const fail = (code: PortCode): void => {
    closedWith ??= code;
    for (const id of [...waiting.keys()]) settle(id)?.reject(new PortError(code));
  };

  return {
    call(method, request) {
      if (closedWith !== null) return Promise.reject(new PortError(closedWith));
      const spec = contract.methods[method];
      const parsed = spec?.request.safeParse(request);
      if (parsed === undefined || !parsed.success) return Promise.reject(new PortError('BAD_REQUEST'));
      const id = nextId;
      nextId += 1;
      return new Promise((resolve, reject) => {
        const timeoutMs = options.timeoutMs;
        const timer = timeoutMs === undefined ? undefined : timers.set(() => settle(id)?.reject(new PortError('TIMEOUT')), timeoutMs);
        waiting.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
        try {
          port.postMessage({ kind: 'call', id, method, request: parsed.data });
        } catch {
          // A value structured clone refuses (a proxy, a function): the call never left.
          settle(id)?.reject(new PortError('BAD_REQUEST'));
        }
      });
    },
    on(name, each) {
      const set = listeners.get(name) ?? new Set();
      set.add(each as (payload: never) => void);
      listeners.set(name, set);
      return () => set.delete(each as (payload: never) => void);
    },
    fail,
    close() {
      fail('PORT_CLOSED');
      port.removeEventListener('message', listener);
    },
  };
}
